import { PATH_SUFFIX } from './inputs';
import { STEP_TEMPLATES } from './templates/registry';
import type { ParameterSpec, ParameterType, StepTemplate } from './templates/types';

type JsonSchema = Record<string, unknown>;

const TYPE: Record<ParameterType, JsonSchema> = {
  string: { type: ['string', 'number', 'boolean'] },
  number: { type: ['number', 'string'] },
  integer: { type: ['integer', 'string'] },
  boolean: { type: ['boolean', 'string'] },
  object: { type: 'object' },
  array: { type: 'array' },
  any: {},
};

const PATH_VALUE: JsonSchema = {
  anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
};

function parameterProperties(p: ParameterSpec): [string, JsonSchema][] {
  const required = p.required ? ' (required' + (p.alternatives?.length ? `, or ${p.alternatives.join(', ')}` : '') + ')' : '';
  return [
    [p.name, { ...TYPE[p.type], description: `${p.description}${required}` }],
    [`${p.name}${PATH_SUFFIX}`, { ...PATH_VALUE, description: `A path expression giving ${p.name} (init_params.x, step.outputs.y, items[*].id).` }],
  ];
}

/** The parameters of one activity, applied when a step config names it. */
const activityCase = (t: StepTemplate): JsonSchema => ({
  if: { properties: { activity: { const: t.activity_name } }, required: ['activity'] },
  then: { properties: Object.fromEntries(t.parameters.flatMap(parameterProperties)) },
});

/**
 * A JSON schema for workflow documents and task documents `{name, description, workflow}`,
 * generated from the step templates that execute here: the activity names (with their
 * descriptions) and each activity's parameters, literal or as `<name>_path`. Editors use it
 * for completion and first checks; `checkWorkflow` remains the authority.
 */
export function workflowJsonSchema(): JsonSchema {
  const stepConfig: JsonSchema = {
    type: 'object',
    required: ['activity'],
    properties: {
      activity: {
        enum: STEP_TEMPLATES.map((t) => t.activity_name),
        markdownEnumDescriptions: STEP_TEMPLATES.map((t) => `${t.description} Outputs: ${t.outputs.join(', ')}.`),
        description: 'The step template this step runs.',
      },
      retries: { type: 'integer', minimum: 0, maximum: 20, description: 'Extra attempts after a failure (default 3 for steps that call out, 0 for pure ones).' },
      timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds one attempt may take.' },
    },
    allOf: STEP_TEMPLATES.map(activityCase),
  };
  const workflow: JsonSchema = {
    type: 'object',
    required: ['step_configs', 'steps'],
    properties: {
      init_params: { type: 'object', description: 'The parameters a run starts with (defaults; a run may override each).' },
      step_configs: { type: 'object', description: 'Each step by name: its activity and parameters.', additionalProperties: { $ref: '#/definitions/stepConfig' } },
      steps: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'The order the steps run in.' },
    },
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Jetty workflow',
    definitions: { stepConfig, workflow },
    anyOf: [
      {
        type: 'object',
        required: ['workflow'],
        properties: { name: { type: 'string' }, description: { type: 'string' }, workflow: { $ref: '#/definitions/workflow' } },
      },
      { $ref: '#/definitions/workflow' },
    ],
  };
}
