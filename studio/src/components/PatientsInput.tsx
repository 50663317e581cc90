// The "Patients" field of a run or a comparison: empty means the scenario's own number (shown as
// the placeholder).
interface Props {
  value: string;
  scenarioPatients: number | undefined;
  onInput: (value: string) => void;
  label: string;
  size?: number;
}

export function PatientsInput({ value, scenarioPatients, onInput, label, size }: Props) {
  return (
    <label>
      Patients{" "}
      <input
        type="text"
        inputMode="numeric"
        value={value}
        placeholder={String(scenarioPatients ?? "")}
        onInput={(e) => onInput(e.currentTarget.value)}
        aria-label={label}
        size={size}
      />
    </label>
  );
}
