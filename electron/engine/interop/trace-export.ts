/**
 * Runs and passthrough calls sent as OpenTelemetry GenAI traces when they end, to the
 * collector a setting (`otlpEndpoint`, or `--otlp-endpoint`, or OTEL_EXPORTER_OTLP_ENDPOINT)
 * names; message content only with `otlpCaptureContent`. The spans are built after the
 * trajectory is stored, off the run's path, and handed to an exporter whose failures stay
 * its own (otlp-exporter.ts).
 */
import type { Store } from '../store';
import { trajectorySpans } from './otel-spans';
import { createOtlpExporter, tracesUrl, type OtlpExporter, type OtlpExporterOptions, type OtlpStats } from './otlp-exporter';

export interface TraceExportConfig {
  endpoint: string;
  captureContent: boolean;
  exporter?: Omit<OtlpExporterOptions, 'endpoint'>;
}

/**
 * Where traces go and whether they carry content: `--otlp-endpoint` (flag), else Settings,
 * else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT; content with
 * Settings' `otlpCaptureContent` or OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true.
 */
export function traceExportConfig(
  settings: { otlpEndpoint?: string; otlpCaptureContent?: boolean },
  env: NodeJS.ProcessEnv,
  flag?: string,
): TraceExportConfig | null {
  const endpoint = flag || settings.otlpEndpoint || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return null;
  return { endpoint, captureContent: settings.otlpCaptureContent === true || env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT === 'true' };
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
/** Trajectories remembered as sent (each is sent once per process). */
const MAX_REMEMBERED = 10_000;

export function createTraceExport(deps: { store: Store; config: () => TraceExportConfig | null }) {
  let exporter: OtlpExporter | null = null;
  const sent = new Set<string>();
  const current = (): { exporter: OtlpExporter; captureContent: boolean } | null => {
    const config = deps.config();
    if (!config?.endpoint) return null;
    if (!exporter || exporter.stats().endpoint !== tracesUrl(config.endpoint)) {
      exporter?.close();
      exporter = createOtlpExporter({ ...config.exporter, endpoint: config.endpoint });
    }
    return { exporter, captureContent: config.captureContent };
  };
  return {
    /** A trajectory's header changed (imported: stored whole, as the passthrough's calls are): sends it once it has ended. */
    trajectoryChanged(id: string, imported: boolean): void {
      if (sent.has(id)) return;
      const header = deps.store.getTrajectoryHeader(id);
      if (!header || !TERMINAL.has(header.status) || (imported && header.kind !== 'passthrough')) return;
      const target = current();
      if (!target) return;
      sent.add(id);
      if (sent.size > MAX_REMEMBERED) sent.delete(sent.values().next().value!);
      setImmediate(() => {
        try {
          target.exporter.export(trajectorySpans(deps.store, id, { captureContent: target.captureContent }));
        } catch (error) {
          console.error(`Tracing trajectory ${id} failed:`, error);
        }
      });
    },
    /** The export to the collector configured now (its counts start when it is first named); null when none is. */
    stats: (): OtlpStats | null => current()?.exporter.stats() ?? null,
    flush: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await exporter?.flush();
    },
    close: () => exporter?.close(),
  };
}
export type TraceExport = ReturnType<typeof createTraceExport>;
