import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FastResponseParser, type ResponseParser } from '../src/fast-response-parser.js';

// The parser autocannon uses (its own dependency), as the fallback and as the reference.
const autocannonRequire = createRequire(createRequire(import.meta.url).resolve('autocannon/package.json'));
const { HTTPParser } = autocannonRequire('http-parser-js') as {
  HTTPParser: (new (type: unknown) => ResponseParser) & {
    RESPONSE: unknown;
    kOnHeadersComplete: number;
    kOnBody: number;
    kOnMessageComplete: number;
  };
};

/** A parser with autocannon-like callbacks recording the status of each complete response. */
function recordingParser(skipBodies: boolean) {
  const completed: number[] = [];
  const parser = new HTTPParser(HTTPParser.RESPONSE);
  let status = 0;
  parser[HTTPParser.kOnHeadersComplete] = (info: { statusCode: number }) => {
    status = info.statusCode;
    return skipBodies;
  };
  parser[HTTPParser.kOnBody] = () => {};
  parser[HTTPParser.kOnMessageComplete] = () => {
    completed.push(status);
  };
  return { parser, completed };
}

/** Feeds `stream` in pieces of `size` bytes to the fast parser and to http-parser-js alone. */
function both(stream: string, size: number, skipBodies = false) {
  const bytes = Buffer.from(stream, 'latin1');
  const fast = recordingParser(skipBodies);
  const wrapped = new FastResponseParser(fast.parser, skipBodies);
  const reference = recordingParser(skipBodies);
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.subarray(at, at + size);
    wrapped.execute(piece);
    reference.parser.execute(Buffer.from(piece));
  }
  return { fast: fast.completed, reference: reference.completed, wrapped };
}

const ok = (body = 'ok', extra = '') =>
  `HTTP/1.1 200 OK\r\nServer: t\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('FastResponseParser', () => {
  it('wraps the parser autocannon uses', () => {
    expect(FastResponseParser.canWrap(recordingParser(false).parser)).toBe(true);
  });

  it('frames the same responses as http-parser-js, however the bytes are split', () => {
    const stream = [
      ok(),
      ok('x'.repeat(5000)),
      'HTTP/1.1 404 Not Found\r\ncontent-length:   3  \r\n\r\nnop',
      'HTTP/1.0 503 Busy\r\nCONTENT-LENGTH: 0\r\n\r\n',
      'HTTP/1.1 204 No Content\r\nX-A: b\r\n\r\n',
      'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n',
      ok('', 'Content-Type: text/plain\r\n'),
      'HTTP/1.1 201 Created\r\nContent-Length: 4\r\nX-Long: ' + 'v'.repeat(3000) + '\r\n\r\nmade',
    ].join('');
    for (const size of [1, 2, 3, 7, 64, 1000, stream.length]) {
      const { fast, reference } = both(stream, size);
      expect(reference).toEqual([200, 200, 404, 503, 204, 304, 200, 201]);
      expect(fast, `pieces of ${size}`).toEqual(reference);
    }
  });

  it('reads a 304 without a body even when it announces a length (RFC 9110 15.4.5)', () => {
    // http-parser-js would read the announced length into the next response here.
    const { parser, completed } = recordingParser(false);
    new FastResponseParser(parser, false).execute(
      Buffer.from('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n' + ok()),
    );
    expect(completed).toEqual([304, 200]);
  });

  it('reads HEAD responses without their announced body', () => {
    const stream = 'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n'.repeat(3);
    const { fast, reference } = both(stream, 17, true);
    expect(fast).toEqual([200, 200, 200]);
    expect(fast).toEqual(reference);
  });

  it('hands chunked bodies, informational responses and bodies ended by a close to http-parser-js', () => {
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
    const stream = ok() + chunked + ok() + chunked;
    for (const size of [1, 5, stream.length]) {
      const { fast, reference, wrapped } = both(stream, size);
      expect(fast).toEqual([200, 200, 200, 200]);
      expect(fast).toEqual(reference);
      // The connection stays with http-parser-js until it reconnects.
      wrapped.reset();
    }
    const informational = 'HTTP/1.1 100 Continue\r\n\r\n' + ok();
    expect(both(informational, 4).fast).toEqual(both(informational, 4).reference);
    const untilClose = ok() + 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nsome body';
    expect(both(untilClose, 9).fast).toEqual(both(untilClose, 9).reference);
  });

  it('leaves malformed responses to http-parser-js', () => {
    for (const bad of [
      'HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok',
      'HTTP/1.1 200 OK\r\nContent-Length: 2x\r\n\r\nok',
      'HTTP/1.1 200 OK\r\nX: a\r\n folded\r\nContent-Length: 2\r\n\r\nok',
      'HTTX/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    ]) {
      const { fast, reference } = both(ok() + bad, 3);
      expect(fast, bad).toEqual(reference);
    }
  });

  it('starts afresh on a new connection', () => {
    const { parser, completed } = recordingParser(false);
    const wrapped = new FastResponseParser(parser, false);
    wrapped.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Len'));
    wrapped.reset();
    wrapped.execute(Buffer.from(ok()));
    expect(completed).toEqual([200]);
  });
});
