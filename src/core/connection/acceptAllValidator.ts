/**
 * The JSON-schema validator our SDK 1.x Client is given instead of its default (ajv, ~130 KB of the
 * bundle). The Client uses one for two things we do not rely on: checking `client.callTool` results
 * against a tool's outputSchema (we never call it; task results are shown as they come) and checking our
 * own elicitation answers against the requested schema (our forms build answers from that schema's fields
 * and coerce each value). Answers still reach the server, which validates what it receives.
 */
import type { jsonSchemaValidator, JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

const acceptAll: JsonSchemaValidator<unknown> = (input) => ({ valid: true, data: input, errorMessage: undefined });

export const acceptAllValidator: jsonSchemaValidator = {
  getValidator: <T>() => acceptAll as JsonSchemaValidator<T>,
};
