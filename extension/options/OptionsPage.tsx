import { useEffect, useState } from 'preact/hooks';
import {
  loadSettings,
  normaliseOrigin,
  OVERLAY_POSITIONS,
  saveSettings,
  type OriginSettings,
  type OverlayPosition,
  type Settings,
} from '../settings.js';

/** An editable line of the origins table; `origin` is what the user typed. */
interface OriginRow extends OriginSettings {
  origin: string;
}

const EMPTY_ROW: OriginRow = { origin: '', key: '', apiBase: '' };

function rowsOf(settings: Settings): OriginRow[] {
  return [...Object.entries(settings.origins).map(([origin, values]) => ({ origin, ...values })), EMPTY_ROW];
}

const isBlank = (row: OriginRow | undefined) => row !== undefined && row.origin.trim() === '' && row.key === '' && row.apiBase === '';

/** The rows as settings, or the first origin that is not one. */
function originsOf(rows: OriginRow[]): { origins: Record<string, OriginSettings> } | { problem: string } {
  const origins: Record<string, OriginSettings> = {};
  for (const row of rows) {
    if (isBlank(row)) continue;
    const origin = normaliseOrigin(row.origin.trim());
    if (origin === null) return { problem: `"${row.origin}" is not an http(s) origin, e.g. https://shop.example.com` };
    origins[origin] = { key: row.key, apiBase: row.apiBase.trim() };
  }
  return { origins };
}

const POSITION_LABELS: Record<OverlayPosition, string> = {
  'bottom-right': 'Bottom right',
  'bottom-left': 'Bottom left',
  'top-right': 'Top right',
  'top-left': 'Top left',
};

function OriginCell({
  row,
  field,
  secret = false,
  placeholder,
  onEdit,
}: {
  row: OriginRow;
  field: keyof OriginRow;
  secret?: boolean;
  placeholder?: string;
  onEdit: (change: Partial<OriginRow>) => void;
}) {
  const props = {
    name: field,
    autocomplete: 'off',
    placeholder,
    value: row[field],
    onInput: (event: { currentTarget: HTMLInputElement }) => onEdit({ [field]: event.currentTarget.value }),
  };
  return <td>{secret ? <input type="password" {...props} /> : <input type="text" {...props} />}</td>;
}

export function OptionsPage() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [rows, setRows] = useState<OriginRow[]>([]);
  const [message, setMessage] = useState<{ text: string; problem: boolean } | null>(null);

  useEffect(() => {
    void loadSettings().then((loaded) => {
      setSettings(loaded);
      setRows(rowsOf(loaded));
    });
  }, []);
  if (settings === null) return <p>Loading…</p>;

  const editRow = (index: number, change: Partial<OriginRow>) => {
    const next = rows.map((row, at) => (at === index ? { ...row, ...change } : row));
    // Keep one empty line to type a new origin into.
    setRows(isBlank(next.at(-1)) ? next : [...next, EMPTY_ROW]);
    setMessage(null);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const parsed = originsOf(rows);
    if ('problem' in parsed) {
      setMessage({ text: parsed.problem, problem: true });
      return;
    }
    const next = { ...settings, origins: parsed.origins };
    await saveSettings(next);
    setSettings(next);
    setRows(rowsOf(next));
    setMessage({ text: 'Saved.', problem: false });
  };

  return (
    <form onSubmit={save}>
      <h1>Loupe options</h1>

      <h2>Toolbar</h2>
      <label>
        Position
        <select
          name="position"
          value={settings.position}
          onChange={(event) => setSettings({ ...settings, position: event.currentTarget.value as OverlayPosition })}
        >
          {OVERLAY_POSITIONS.map((position) => (
            <option key={position} value={position}>
              {POSITION_LABELS[position]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          name="startCollapsed"
          checked={settings.startCollapsed}
          onChange={(event) => setSettings({ ...settings, startCollapsed: event.currentTarget.checked })}
        />
        Start collapsed to a small handle
      </label>

      <h2>Origins</h2>
      <p class="hint">
        A production server records only requests carrying its key: in the tabs where Loupe is on, requests to that
        origin carry it as <code>X-Loupe-Key</code>. The API base overrides the one the server announces.
      </p>
      <table>
        <thead>
          <tr>
            <th>Origin</th>
            <th>Key</th>
            <th>API base (optional)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              <OriginCell row={row} field="origin" placeholder="https://shop.example.com" onEdit={(change) => editRow(index, change)} />
              <OriginCell row={row} field="key" secret onEdit={(change) => editRow(index, change)} />
              <OriginCell row={row} field="apiBase" placeholder="/__loupe/api" onEdit={(change) => editRow(index, change)} />
            </tr>
          ))}
        </tbody>
      </table>

      <div class="actions">
        <button type="submit" class="primary">
          Save
        </button>
        {message !== null && <span class={message.problem ? 'problem' : 'saved'} role="status">{message.text}</span>}
      </div>
    </form>
  );
}
