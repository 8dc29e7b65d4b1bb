/**
 * Property tests over every wire API: internal → wire → internal is the identity on what
 * the API can carry (through JSON, as on the wire), for requests, responses, streams and
 * errors; stream decoders give the same events whatever the chunking; and a stream
 * decoded from one API and encoded to another assembles to the same response.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WIRE_APIS, type WireApiName } from '.';
import { COMMON, piecesArbitrary, requestArbitrary, responseArbitrary, splitBytes, SUPPORT } from './internal.arbitrary';
import type { ApiError, ErrorKind, StreamEvent } from './internal';
import { assembleEvents, eventsOfResponse } from './stream';

// Legacy completions carry one prompt and no tools: completions.test.ts tests what they keep.
const NAMES = (Object.keys(WIRE_APIS) as WireApiName[]).filter((name) => name !== 'completions');
const overWire = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));
const context = (request: { model: string; stream: boolean }) => ({ model: request.model, stream: request.stream });

function sse(name: WireApiName, events: StreamEvent[]): string {
  const encoder = WIRE_APIS[name].streamEncoder({ includeUsage: true });
  return events.map((e) => encoder.push(e)).join('') + encoder.end();
}

function decodeChunks(name: WireApiName, chunks: Array<Uint8Array | string>): StreamEvent[] {
  const decoder = WIRE_APIS[name].streamDecoder();
  return [...chunks.flatMap((c) => decoder.push(c)), ...decoder.end()];
}

describe.each(NAMES)('%s', (name) => {
  const api = WIRE_APIS[name];
  const support = SUPPORT[name];

  it('requests: decode(encode(request)) is the request', () => {
    fc.assert(
      fc.property(requestArbitrary(support), (request) => {
        expect(api.decodeRequest(overWire(api.encodeRequest(request)), context(request))).toEqual(request);
      }),
      { numRuns: 300 },
    );
  });

  it('responses: decode(encode(response)) is the response', () => {
    fc.assert(
      fc.property(responseArbitrary(support), (response) => {
        expect(api.decodeResponse(overWire(api.encodeResponse(response)))).toEqual(response);
      }),
      { numRuns: 300 },
    );
  });

  it('streams: a streamed response, cut into random byte chunks, decodes to the same events as whole and assembles to the response', () => {
    fc.assert(
      fc.property(responseArbitrary(support), piecesArbitrary, fc.array(fc.nat(), { maxLength: 12 }), (response, pieces, cuts) => {
        const bytes = new TextEncoder().encode(sse(name, eventsOfResponse(response, pieces)));
        const whole = decodeChunks(name, [bytes]);
        expect(decodeChunks(name, splitBytes(bytes, cuts))).toEqual(whole);
        expect(assembleEvents(whole)).toEqual({ response });
      }),
      { numRuns: 300 },
    );
  });

  it('errors: every kind comes back as itself with its message, in this API’s shape', () => {
    const kinds: ErrorKind[] = ['invalid_request', 'authentication', 'permission', 'not_found', 'request_too_large', 'rate_limit', 'overloaded', 'server'];
    for (const kind of kinds) {
      const error: ApiError = { kind, status: kind === 'server' ? 502 : 0, message: `it went wrong: ${kind}` };
      const encoded = api.encodeError(error);
      const decoded = api.decodeError(encoded.status, JSON.stringify(encoded.body));
      expect([decoded.kind, decoded.message]).toEqual([kind, error.message]);
      if (kind === 'server') expect(encoded.status).toBe(502);
    }
  });

  it('errors: a body that is not this API’s error shape still says what the provider answered', () => {
    const error = api.decodeError(502, '<html>Bad gateway</html>');
    expect(error).toEqual({ kind: 'server', status: 502, message: 'the provider returned HTTP 502: <html>Bad gateway</html>' });
  });

  it('errors in a stream arrive as an error event', () => {
    const error: ApiError = { kind: 'overloaded', status: 503, message: 'try later' };
    const events = decodeChunks(name, [sse(name, [{ type: 'start', id: 'x1', model: 'm' }, { type: 'text', delta: 'par' }, { type: 'error', error }])]);
    const failure = events.find((e) => e.type === 'error');
    expect(failure?.type === 'error' && failure.error.message).toBe('try later');
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
  });
});

describe('translation between any two APIs', () => {
  const pairs = NAMES.flatMap((from) => NAMES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s: requests keep what both carry', (from, to) => {
    fc.assert(
      fc.property(requestArbitrary(COMMON), (request) => {
        const wire = overWire(WIRE_APIS[from].encodeRequest(request));
        const translated = overWire(WIRE_APIS[to].encodeRequest(WIRE_APIS[from].decodeRequest(wire, context(request))));
        expect(WIRE_APIS[to].decodeRequest(translated, context(request))).toEqual(request);
      }),
      { numRuns: 60 },
    );
  });

  it.each(pairs)('%s → %s: a stream transcoded chunk by chunk assembles to the same response', (from, to) => {
    fc.assert(
      fc.property(responseArbitrary(COMMON), piecesArbitrary, fc.array(fc.nat(), { maxLength: 8 }), (response, pieces, cuts) => {
        const upstream = splitBytes(new TextEncoder().encode(sse(from, eventsOfResponse(response, pieces))), cuts);
        const decoder = WIRE_APIS[from].streamDecoder();
        const encoder = WIRE_APIS[to].streamEncoder({ includeUsage: true });
        let downstream = '';
        for (const chunk of upstream) for (const event of decoder.push(chunk)) downstream += encoder.push(event);
        for (const event of decoder.end()) downstream += encoder.push(event);
        downstream += encoder.end();
        const { response: assembled } = assembleEvents(decodeChunks(to, [downstream]));
        // Gemini's and Responses' ids are the upstream's; tool call ids always survive.
        expect(assembled).toEqual(response);
      }),
      { numRuns: 40 },
    );
  });
});
