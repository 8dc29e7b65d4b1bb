import { useEffect, useState } from 'react';
import { KNOWN_AGENTS } from '../../../../shared/agents';
import type { MethodOutput } from '../../../../shared/contract';
import { apiClient } from '../../stores/connection';
import { useSettings } from '../../stores/settings';
import { useTheme, type ThemeChoice } from '../../stores/theme';
import { useRecordingStatus } from '../connection/use-recording-status';
import { STORAGE_TEXT, useSecretStatus } from '../run/SecretsCheck';
import { StorageSettings } from '../storage/StorageSettings';
import { ProviderSettings } from './ProviderSettings';
import { SandboxImageSettings } from './SandboxImageSettings';
import { WarmPoolSettings } from './WarmPoolSettings';
import { Row, TextSetting } from './settings-fields';
import '../run/run-truth.css';

type Environment = MethodOutput<'settings.environment'>;

/** Where provider keys come from and the overrides in force (the engine's environment). */
function useEnvironment(): Environment | null {
  const [environment, setEnvironment] = useState<Environment | null>(null);
  useEffect(() => void apiClient()['settings.environment']({}).then(setEnvironment, () => undefined), []);
  return environment;
}

/** A provider key kept in the secret store under `name` (never shown back); else the environment variable of that name. */
function ModelKey({ name, label, placeholder, note = '', environment }: { name: string; label: string; placeholder: string; note?: string; environment: Environment | null }) {
  const { status, reload } = useSecretStatus([name]);
  const [value, setValue] = useState('');
  const configured = status?.configured[name] ?? false;
  const fromEnvironment = !configured && environment?.keys.find((k) => k.name === name)?.source === 'environment';
  return (
    <Row label="API key" hint={status ? `${STORAGE_TEXT[status.storage]} Stored as the secret ${name}.${note}` : undefined}>
      <form
        className="secret-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (value) void apiClient()['secrets.set']({ name, value }).then(() => (setValue(''), reload()));
        }}
      >
        <input className="text-input" type="password" aria-label={label} autoComplete="off" placeholder={configured ? '•••••••• (set)' : placeholder} value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit" className="button" disabled={!value}>
          Save key
        </button>
        {configured && (
          <button type="button" className="button button-quiet" onClick={() => void apiClient()['secrets.clear']({ name }).then(reload)}>
            Clear
          </button>
        )}
        <span className={`pill ${configured || fromEnvironment ? 'pill-ok' : 'pill-muted'}`} data-model-key={configured ? 'configured' : fromEnvironment ? 'environment' : 'missing'}>
          {configured ? 'configured' : fromEnvironment ? <>from {name}</> : 'not set'}
        </span>
      </form>
    </Row>
  );
}

/** The OpenTelemetry export: the collector, whether content goes with the spans, and what was sent and dropped. */
function Telemetry({ settings, save }: { settings: { otlpEndpoint?: string; otlpCaptureContent?: boolean }; save(patch: { otlpEndpoint?: string; otlpCaptureContent?: boolean }): Promise<void> }) {
  const [status, setStatus] = useState<MethodOutput<'telemetry.status'> | null>(null);
  useEffect(() => void apiClient()['telemetry.status']({}).then(setStatus, () => undefined), [settings.otlpEndpoint]);
  return (
    <section className="settings-section" aria-label="Telemetry">
      <h2 className="section-title">OpenTelemetry traces</h2>
      <TextSetting
        label="Collector (OTLP/HTTP)"
        value={settings.otlpEndpoint ?? ''}
        placeholder="http://127.0.0.1:4318 (Langfuse, Phoenix, any collector)"
        onSave={(v) => void save({ otlpEndpoint: v })}
        hint="Each run and passthrough call goes there as GenAI spans when it ends. A collector that is down or slow never slows a run: spans wait in a bounded queue and are dropped (counted) past it. Empty: OTEL_EXPORTER_OTLP_ENDPOINT, else none."
      />
      <Row label="Message content" hint="Prompts, completions, tool arguments and results in the spans, redacted as stored. Off: only names, models, token counts and timings.">
        <label>
          <input type="checkbox" checked={settings.otlpCaptureContent === true} onChange={(e) => void save({ otlpCaptureContent: e.target.checked })} /> send message content
        </label>
      </Row>
      {status && (
        <Row label="Export" hint={status.lastError ? `Last error: ${status.lastError}` : undefined}>
          <span className="small" data-telemetry-sent={status.sent} data-telemetry-dropped={status.dropped}>
            {status.sent} span{status.sent === 1 ? '' : 's'} sent · {status.queued + status.sending} waiting · {status.dropped} dropped
          </span>
        </Row>
      )}
    </section>
  );
}

function DockerStatus() {
  const [status, setStatus] = useState<MethodOutput<'docker.status'> | null>(null);
  const check = () => {
    setStatus(null);
    void apiClient()['docker.status']({}).then(setStatus);
  };
  useEffect(check, []);
  return (
    <Row label="Docker">
      <div className="docker-status" data-docker={status ? String(status.available) : 'checking'}>
        {!status && <span className="muted">Checking…</span>}
        {status?.available && (
          <span>
            <span className="pill pill-ok">reachable</span> Docker {status.version} <span className="muted">at {status.host}</span>
          </span>
        )}
        {status && !status.available && (
          <>
            <span className="pill pill-error">not reachable</span> at <code>{status.host}</code>: {status.error}
            {status.fix && <p className="small">{status.fix}</p>}
          </>
        )}
        <button type="button" className="button button-small" onClick={check}>
          Check again
        </button>
      </div>
    </Row>
  );
}

/** `mlc_ab…yz`: enough to recognise a token, never the whole of it. */
const redactToken = (token: string) => (token.length <= 8 ? '••••' : `${token.slice(0, 4)}…${token.slice(-2)}`);

/** Where the local Jetty API listens, for clients that point their base URL at it. */
function LocalApi() {
  const [api, setApi] = useState<MethodOutput<'localApi.info'> | undefined>(undefined);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => void apiClient()['localApi.info']({}).then(setApi), []);
  const copy = (what: string, text: string) => void navigator.clipboard.writeText(text).then(() => setCopied(what));
  if (api === undefined) return null;
  return (
    <Row label="Local Jetty API" hint="OpenAI SDKs and Jetty clients work against this base URL with this token (127.0.0.1 only).">
      {api === null ? (
        <span className="muted">not running</span>
      ) : (
        <div className="local-api" data-local-api={api.baseUrl}>
          <code>{api.baseUrl}/v1</code>
          <button type="button" className="button button-small" onClick={() => copy('url', `${api.baseUrl}/v1`)}>
            {copied === 'url' ? 'Copied' : 'Copy URL'}
          </button>
          <code aria-label="API token (redacted)">{redactToken(api.token)}</code>
          <button type="button" className="button button-small" onClick={() => copy('token', api.token)}>
            {copied === 'token' ? 'Copied' : 'Copy token'}
          </button>
        </div>
      )}
    </Row>
  );
}

/** Variables in Jetty's environment that change what every run uses. */
function Overrides({ environment }: { environment: Environment | null }) {
  if (!environment) return null;
  return (
    <Row label="Active overrides" hint="From the environment Jetty was started in; the run panel shows where each one replaces a runbook's choice.">
      {environment.overrides.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        <ul className="override-list" data-overrides>
          {environment.overrides.map((o) => (
            <li key={o.name} data-override={o.name}>
              <code>{o.name}</code> = <code>{o.value}</code>
            </li>
          ))}
        </ul>
      )}
    </Row>
  );
}

/** Passthrough calls recorded and failed since start, the last failure's reason, a full disk. */
function Recording() {
  const status = useRecordingStatus();
  if (!status) return null;
  return (
    <Row label="Recording" hint="Calls through the local API's /v1/chat/completions since Jetty started; each failure is also logged.">
      <span data-recording-failed={status.failed}>
        {status.recorded} recorded, {status.failed} could not be recorded
        {status.diskFull && <strong> — the disk is full, new calls are refused</strong>}
        {status.lastFailure && <span className="muted"> (last: {status.lastFailure.reason})</span>}
      </span>
    </Row>
  );
}

/** Model provider, defaults, Docker, data folder, local API and theme. */
export function SettingsPage() {
  const { settings, error, load, update } = useSettings();
  const theme = useTheme((s) => s.choice);
  const [info, setInfo] = useState<MethodOutput<'app.info'> | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const environment = useEnvironment();
  useEffect(() => {
    void load();
    void apiClient()['app.info']({}).then(setInfo);
  }, [load]);
  const save = async (patch: Parameters<typeof update>[0]) => setSaveError(await update(patch));

  return (
    <main className="content page settings" aria-label="Settings">
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      {(error ?? saveError) && <p className="notice notice-error">{error ?? saveError}</p>}
      {settings && (
        <>
          <section className="settings-section" aria-label="Model provider">
            <h2 className="section-title">Model provider (built-in agent)</h2>
            <TextSetting label="Base URL" value={settings.modelBaseUrl} placeholder="https://api.openai.com/v1 (any OpenAI-compatible endpoint)" onSave={(v) => void save({ modelBaseUrl: v })} hint="Empty: OPENAI_BASE_URL from the environment, else OpenAI." />
            <ModelKey name="OPENAI_API_KEY" label="Model API key" placeholder="sk-…" environment={environment} />
          </section>
          <section className="settings-section" aria-label="Anthropic">
            <h2 className="section-title">Anthropic (claude-code agent)</h2>
            <ModelKey name="ANTHROPIC_API_KEY" label="Anthropic API key" placeholder="sk-ant-…" note=" Empty: ANTHROPIC_API_KEY from the environment." environment={environment} />
          </section>
          <section className="settings-section" aria-label="Defaults">
            <h2 className="section-title">Defaults for runs</h2>
            <Row label="Agent" hint="Every run uses it unless the run asks for another, whether started here, over the local API, by a workflow or by jetty run on this data folder. “the runbook's”: the agent the runbook names, else the one its model implies. A CLI agent (claude-code, codex, gemini-cli) needs its CLI in the sandbox image; without it the run fails, unless JETTY_AGENT_FALLBACK=builtin lets the built-in agent stand in.">
              <select className="text-input" aria-label="Default agent" value={settings.defaultAgent} onChange={(e) => void save({ defaultAgent: e.target.value })}>
                <option value="">the runbook's</option>
                {KNOWN_AGENTS.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </select>
            </Row>
            <TextSetting label="Model" value={settings.defaultModel} placeholder="the runbook's" onSave={(v) => void save({ defaultModel: v })} />
          </section>
          <ProviderSettings settings={settings} save={save} />
          <SandboxImageSettings settings={settings} save={save} />
          <WarmPoolSettings settings={settings} save={save} />
          <StorageSettings />
          <Telemetry settings={settings} save={save} />
          <section className="settings-section" aria-label="Environment">
            <h2 className="section-title">Environment</h2>
            <DockerStatus />
            <Overrides environment={environment} />
            <Row label="Data folder" hint="Trajectories (jetty.db), artifacts, encrypted secrets and settings live here.">
              <code className="data-dir">{info?.dataDir ?? '…'}</code>
            </Row>
            <LocalApi />
            <Recording />
          </section>
          <section className="settings-section" aria-label="Appearance">
            <h2 className="section-title">Appearance</h2>
            <Row label="Theme">
              <div className="segmented" role="radiogroup" aria-label="Theme">
                {(['system', 'light', 'dark'] as ThemeChoice[]).map((t) => (
                  <label key={t} className={theme === t ? 'is-selected' : undefined}>
                    <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => void save({ theme: t })} />
                    {t}
                  </label>
                ))}
              </div>
            </Row>
          </section>
        </>
      )}
    </main>
  );
}
