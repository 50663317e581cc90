// INTERIM: the Node built-ins and piscina that the internals import but the page never calls.
const no = (name: string) => () => {
  throw new Error(`${name} is not available in the browser`);
};
export const randomUUID = () => crypto.randomUUID();
export const randomBytes = no("randomBytes");
export const createHash = no("createHash");
export const availableParallelism = () => navigator.hardwareConcurrency || 2;
export const setImmediate = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
export class Piscina {
  constructor() {
    throw new Error("piscina is not available in the browser");
  }
}
export const closeSync = no("closeSync");
export const fsyncSync = no("fsyncSync");
export const mkdirSync = no("mkdirSync");
export const openSync = no("openSync");
export const renameSync = no("renameSync");
export const unlinkSync = no("unlinkSync");
export const writeSync = no("writeSync");
export const pathToFileURL = no("pathToFileURL");
export default {};
