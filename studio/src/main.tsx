// The studio's entry point: find where the files come from (the local server, or a static page),
// then show the app.
import "./studio.css";
import { render } from "preact";
import { App } from "./components/App.js";
import { connect } from "./host.js";

async function start(): Promise<void> {
  const root = document.getElementById("app")!;
  try {
    const host = await connect();
    root.textContent = "";
    render(<App host={host} />, root);
  } catch (error) {
    root.textContent = `The studio could not start: ${error instanceof Error ? error.message : String(error)}`;
  }
}

void start();
