import { useEffect, useState } from 'react';
import type { MethodOutput, ModelEndpoint, Settings } from '../../../../shared/contract';
import { apiClient } from '../../stores/connection';
import { Row } from './settings-fields';
import './provider-settings.css';

type Catalog = MethodOutput<'providers.catalog'>['providers'];
type Detected = MethodOutput<'localServers.detect'>['servers'];
type Save = (patch: Partial<Settings>) => Promise<void>;

/** The secret a custom endpoint's key is kept under (the engine reads the same name). */
const endpointKeyName = (name: string) => `ENDPOINT_${name.toUpperCase().replace(/-/g, '_')}_API_KEY`;

const KEY_TEXT: Record<Catalog[number]['keySource'], string> = { stored: 'key stored', environment: 'key from the environment', none: 'no key', 'not-needed': 'no key needed' };

/** One catalog provider: its base URL (Settings' over the environment's and the default) and where its key comes from. */
function ProviderRow({ provider, settings, save, reload }: { provider: Catalog[number]; settings: Settings; save: Save; reload(): void }) {
  const own = settings.providerBaseUrls?.[provider.prefix] ?? '';
  const [url, setUrl] = useState(own);
  const [key, setKey] = useState('');
  useEffect(() => setUrl(own), [own]);
  const saveUrl = () => {
    if (url.trim() === own) return;
    const { [provider.prefix]: _old, ...others } = settings.providerBaseUrls ?? {};
    void save({ providerBaseUrls: url.trim() ? { ...others, [provider.prefix]: url.trim() } : others }).then(reload);
  };
  return (
    <tr data-provider={provider.prefix}>
      <td>
        <code>{provider.prefix}/</code> <span className="muted">{provider.label}</span>
      </td>
      {provider.unsupported ? (
        <td colSpan={2}>
          <span className="small muted" data-unsupported>
            not supported yet: {provider.unsupported}
          </span>
        </td>
      ) : (
        <>
          <td>
            <input
              className="text-input"
              aria-label={`${provider.label} base URL`}
              placeholder={`${provider.defaultBaseUrl} (or ${provider.baseUrlVariable})`}
              value={url}
              spellCheck={false}
              onChange={(e) => setUrl(e.target.value)}
              onBlur={saveUrl}
              onKeyDown={(e) => e.key === 'Enter' && saveUrl()}
            />
          </td>
          <td>
            {provider.keyVariable && provider.keySource !== 'not-needed' ? (
              <form
                className="secret-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (key && provider.keyVariable) void apiClient()['secrets.set']({ name: provider.keyVariable, value: key }).then(() => (setKey(''), reload()));
                }}
              >
                <input className="text-input" type="password" autoComplete="off" aria-label={`${provider.label} API key`} placeholder={provider.keyVariable} value={key} onChange={(e) => setKey(e.target.value)} />
                <span className={`pill ${provider.keySource === 'none' ? 'pill-muted' : 'pill-ok'}`}>{KEY_TEXT[provider.keySource]}</span>
              </form>
            ) : (
              <span className="pill pill-muted">{KEY_TEXT[provider.keySource]}</span>
            )}
          </td>
        </>
      )}
    </tr>
  );
}

/** Custom endpoints: add (after a test says it answers), test again, remove. */
function Endpoints({ settings, save }: { settings: Settings; save: Save }) {
  const endpoints = settings.endpoints ?? [];
  const [draft, setDraft] = useState<ModelEndpoint & { apiKey: string }>({ name: '', baseUrl: '', apiKey: '' });
  const [results, setResults] = useState<Record<string, { ok: boolean; message: string }>>({});
  const test = async (endpoint: ModelEndpoint & { apiKey?: string }) => {
    const result = await apiClient()['endpoints.test']({ ...endpoint, ...(endpoint.apiKey ? { apiKey: endpoint.apiKey } : {}) }).catch((e: unknown) => ({ ok: false, models: [], message: String((e as Error).message ?? e) }));
    setResults((r) => ({ ...r, [endpoint.name]: result }));
    return result;
  };
  const add = async () => {
    const endpoint: ModelEndpoint = { name: draft.name.trim(), baseUrl: draft.baseUrl.trim(), ...(draft.wire ? { wire: draft.wire } : {}) };
    const result = await test({ ...endpoint, apiKey: draft.apiKey });
    if (!result.ok) return;
    if (draft.apiKey) await apiClient()['secrets.set']({ name: endpointKeyName(endpoint.name), value: draft.apiKey });
    await save({ endpoints: [...endpoints.filter((e) => e.name !== endpoint.name), endpoint] });
    setDraft({ name: '', baseUrl: '', apiKey: '' });
  };
  const remove = async (name: string) => {
    await save({ endpoints: endpoints.filter((e) => e.name !== name) });
    await apiClient()['secrets.clear']({ name: endpointKeyName(name) }).catch(() => undefined);
  };
  return (
    <Row label="Model endpoints" hint="A server of yours (a proxy, a model server), reached as <name>/<model>. Its key is kept in the secret store.">
      <ul className="override-list" data-endpoints>
        {endpoints.map((e) => (
          <li key={e.name} data-endpoint={e.name}>
            <code>{e.name}/</code> <code>{e.baseUrl}</code> {e.wire && <span className="muted">({e.wire})</span>}{' '}
            <button type="button" className="button button-small" onClick={() => void test(e)}>
              Test
            </button>{' '}
            <button type="button" className="button button-small button-quiet" onClick={() => void remove(e.name)}>
              Remove
            </button>{' '}
            {results[e.name] && <span className={`pill ${results[e.name].ok ? 'pill-ok' : 'pill-error'}`}>{results[e.name].message}</span>}
          </li>
        ))}
      </ul>
      <form
        className="secret-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <input className="text-input" aria-label="Endpoint name" placeholder="name (the model prefix)" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        <input className="text-input" aria-label="Endpoint base URL" placeholder="http://127.0.0.1:8000/v1" value={draft.baseUrl} onChange={(e) => setDraft({ ...draft, baseUrl: e.target.value })} />
        <select className="text-input" aria-label="Endpoint wire API" value={draft.wire ?? ''} onChange={(e) => setDraft({ ...draft, wire: (e.target.value || undefined) as ModelEndpoint['wire'] })}>
          <option value="">chat completions</option>
          <option value="responses">Responses</option>
          <option value="anthropic-messages">Anthropic Messages</option>
          <option value="gemini">Gemini</option>
        </select>
        <input className="text-input" type="password" autoComplete="off" aria-label="Endpoint API key" placeholder="API key (optional)" value={draft.apiKey} onChange={(e) => setDraft({ ...draft, apiKey: e.target.value })} />
        <button type="submit" className="button" disabled={!draft.name || !draft.baseUrl}>
          Test and add
        </button>
        {draft.name && results[draft.name.trim()] && !results[draft.name.trim()].ok && <span className="pill pill-error">{results[draft.name.trim()].message}</span>}
      </form>
    </Row>
  );
}

/** Ollama, LM Studio, llama.cpp and vLLM at their addresses: reachable or why not, each model's tools and context. */
function LocalServers() {
  const [servers, setServers] = useState<Detected | null>(null);
  const [busy, setBusy] = useState(false);
  const detect = () => {
    setBusy(true);
    void apiClient()
      ['localServers.detect']({})
      .then((r) => setServers(r.servers))
      .finally(() => setBusy(false));
  };
  useEffect(detect, []);
  return (
    <Row label="Local servers" hint="Found at the base URLs above (their default ports unless set). A run on a model without tools, or with a context smaller than the runbook, is warned about before it starts.">
      <div data-local-servers={servers ? 'detected' : 'detecting'}>
        <button type="button" className="button button-small" onClick={detect} disabled={busy}>
          {busy ? 'Detecting…' : 'Detect again'}
        </button>
        <ul className="override-list">
          {servers?.map((s) => (
            <li key={s.prefix} data-local-server={s.prefix} data-reachable={String(s.reachable)}>
              <code>{s.prefix}/</code> at <code>{s.baseUrl}</code>:{' '}
              {s.reachable ? (
                <>
                  <span className="pill pill-ok">
                    connected, {s.models.length} model{s.models.length === 1 ? '' : 's'}
                  </span>
                  <ul className="local-models">
                    {s.models.map((m) => (
                      <li key={m.id} data-local-model={m.id}>
                        <code>{m.id}</code> — tools: {m.tools}, context: {m.context === null ? 'unknown' : `${m.context.toLocaleString()} tokens`}
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                <span className="muted">{s.error}</span>
              )}
            </li>
          ))}
        </ul>
      </div>
    </Row>
  );
}

/** Settings → Providers: the catalog (base URLs and keys), custom endpoints, local servers. */
export function ProviderSettings({ settings, save }: { settings: Settings; save: Save }) {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const reload = () => void apiClient()['providers.catalog']({}).then((r) => setCatalog(r.providers), () => undefined);
  useEffect(reload, []);
  return (
    <section className="settings-section" aria-label="Providers">
      <h2 className="section-title">Providers</h2>
      <p className="small muted">
        Any of these is reached by its prefix (<code>groq/llama-3.3-70b-versatile</code>, <code>ollama/qwen3:4b</code>) from every client of the local API, runs and workflow steps. A base URL set here is used over <code>&lt;PREFIX&gt;_BASE_URL</code>.
      </p>
      <details>
        <summary>{catalog ? `${catalog.length} providers` : 'Providers…'}</summary>
        <table className="provider-table">
          <tbody>{catalog?.map((p) => <ProviderRow key={p.prefix} provider={p} settings={settings} save={save} reload={reload} />)}</tbody>
        </table>
      </details>
      <Endpoints settings={settings} save={save} />
      <LocalServers />
    </section>
  );
}
