import { VERSION } from '../../base/version';
import { ownCapabilities } from '../../cloud/capabilities';
import { STEP_TEMPLATES, stepTemplate } from '../../workflows';
import type { StepTemplate } from '../../workflows/templates/types';
import type { Route } from '../router';
import { HttpError, rest } from './http';

/** A template as the catalog shows it: its parameters (each also as `<name>_path`) and outputs. */
const describe = (t: StepTemplate) => ({
  activity_name: t.activity_name,
  category: t.category,
  description: t.description,
  parameters: t.parameters.map((p) => ({ ...p, required: p.required ?? false, path_variant: `${p.name}_path` })),
  outputs: t.outputs,
});

/**
 * `GET /step-templates` (no token, as in the cloud): exactly the templates the engine executes;
 * `GET /health`, with what a client pushing runs and deploys here can rely on (`capabilities`).
 */
export function catalogRoutes(): Route[] {
  const templates = STEP_TEMPLATES.map(describe);
  const categories = [...new Set(templates.map((t) => t.category))];
  return [
    rest('GET', '/step-templates', async () => ({ templates, categories, total_count: templates.length }), { public: true }),
    rest(
      'GET',
      '/step-templates/:activity',
      async ({ params }) => {
        const template = stepTemplate(params.activity);
        if (!template) throw new HttpError(404, `no step template '${params.activity}'`);
        return describe(template);
      },
      { public: true },
    ),
    rest('GET', '/health', async () => ({ status: 'ok', version: VERSION, capabilities: ownCapabilities() }), { public: true }),
  ];
}
