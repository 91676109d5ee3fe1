/**
 * A fast path in front of autocannon's HTTP response parser (http-parser-js), for the responses
 * a load test sees by the million: a status line, headers, and a `Content-Length` body (or no
 * body: HEAD, 1xx excepted, 204, 304). http-parser-js builds strings and runs regular
 * expressions for every line, about 3.6 µs per response on the development machine; this path
 * finds the end of the headers and the one header that frames the body with native
 * `Buffer.indexOf` and byte compares.
 *
 * Anything else — `Transfer-Encoding` (chunked bodies), a body delimited by the connection's
 * close, an informational (1xx) response, folded or malformed header lines, a second
 * `Content-Length` — is handed, from the first byte of that response on, to autocannon's own
 * parser with the callbacks autocannon installed on it, and the connection stays with it until
 * it reconnects. Malformed responses are therefore judged exactly as before.
 *
 * It drives the same callbacks in the same order as http-parser-js: headers complete (with
 * `{ statusCode, headers: [] }`, all autocannon reads), then message complete; bodies are not
 * passed on (the plugin only counts bytes, which autocannon does before parsing).
 */

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = Buffer.from('content-length:');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding:');
const EMPTY = Buffer.alloc(0);
const NO_HEADERS: readonly string[] = Object.freeze([]);

/** The http-parser-js parser autocannon created, with its callbacks installed. */
export interface ResponseParser {
  execute(chunk: Buffer): unknown;
  reinitialize?(type: unknown): void;
  readonly constructor: Record<string, unknown>;
  [callback: number]: unknown;
}

/** True when `buffer[at..]` starts with `lowerName` compared case-insensitively (ASCII). */
function startsWithName(buffer: Buffer, at: number, end: number, lowerName: Buffer): boolean {
  if (end - at < lowerName.length) return false;
  for (let i = 0; i < lowerName.length; i++) {
    if ((buffer[at + i]! | 0x20) !== lowerName[i]!) return false;
  }
  return true;
}

export class FastResponseParser {
  /** Header bytes of a response split over chunks. */
  private pending: Buffer = EMPTY;
  /** Body bytes still to come for the current response; -1 between responses. */
  private bodyRemaining = -1;
  /** The connection's responses go to autocannon's parser until it reconnects. */
  private delegated = false;
  private readonly onHeadersComplete: (info: object) => unknown;
  private readonly onMessageComplete: () => unknown;
  private readonly responseType: unknown;

  constructor(
    private readonly fallback: ResponseParser,
    /** HEAD: responses have no body whatever their headers say. */
    private readonly skipBodies: boolean,
  ) {
    const ctor = fallback.constructor as { kOnHeadersComplete: number; kOnMessageComplete: number; RESPONSE: unknown };
    this.onHeadersComplete = fallback[ctor.kOnHeadersComplete] as (info: object) => unknown;
    this.onMessageComplete = fallback[ctor.kOnMessageComplete] as () => unknown;
    this.responseType = ctor.RESPONSE;
  }

  /** Whether autocannon's parser has the callbacks this path calls. */
  static canWrap(parser: ResponseParser): boolean {
    const ctor = parser.constructor as Record<string, unknown>;
    return (
      typeof parser.execute === 'function' &&
      typeof parser.reinitialize === 'function' &&
      typeof ctor['kOnHeadersComplete'] === 'number' &&
      typeof ctor['kOnMessageComplete'] === 'number' &&
      typeof parser[ctor['kOnHeadersComplete'] as number] === 'function' &&
      typeof parser[ctor['kOnMessageComplete'] as number] === 'function'
    );
  }

  /** A new connection: forget any partial response (autocannon's parser kept its state). */
  reset(): void {
    this.pending = EMPTY;
    this.bodyRemaining = -1;
    if (this.delegated) this.fallback.reinitialize?.(this.responseType);
    this.delegated = false;
  }

  execute(chunk: Buffer): void {
    if (this.delegated) {
      this.fallback.execute(chunk);
      return;
    }
    let buffer = chunk;
    let offset = 0;
    if (this.pending.length > 0) {
      buffer = Buffer.concat([this.pending, chunk]);
      this.pending = EMPTY;
    }
    const end = buffer.length;
    while (offset < end) {
      if (this.bodyRemaining >= 0) {
        const available = end - offset;
        if (available < this.bodyRemaining) {
          this.bodyRemaining -= available;
          return;
        }
        offset += this.bodyRemaining;
        this.bodyRemaining = -1;
        this.onMessageComplete();
        continue;
      }
      const headersEnd = buffer.indexOf(CRLF_CRLF, offset);
      if (headersEnd < 0) {
        // Keep the partial header block (a copy: the chunk's memory is not ours to keep).
        this.pending = Buffer.from(buffer.subarray(offset));
        return;
      }
      const bodyLength = this.frame(buffer, offset, headersEnd);
      if (bodyLength === null) {
        this.delegated = true;
        this.fallback.execute(buffer.subarray(offset));
        return;
      }
      offset = headersEnd + 4;
      if (bodyLength === 0) this.onMessageComplete();
      else this.bodyRemaining = bodyLength;
    }
  }

  /**
   * Reads the status line and the framing headers of the response at `start` (headers ending
   * at `headersEnd`) and reports its headers complete. Returns the body length, or null when
   * the response needs the full parser (nothing has been reported then).
   */
  private frame(buffer: Buffer, start: number, headersEnd: number): number | null {
    // "HTTP/1.x NNN"
    if (
      headersEnd - start < 12 ||
      buffer[start] !== 0x48 || buffer[start + 1] !== 0x54 || buffer[start + 2] !== 0x54 || buffer[start + 3] !== 0x50 ||
      buffer[start + 4] !== 0x2f || buffer[start + 5] !== 0x31 || buffer[start + 6] !== 0x2e ||
      buffer[start + 8] !== 0x20
    ) {
      return null;
    }
    const afterCode = buffer[start + 12];
    if (afterCode !== 0x20 && afterCode !== 0x0d) return null;
    const d0 = buffer[start + 9]! - 0x30;
    const d1 = buffer[start + 10]! - 0x30;
    const d2 = buffer[start + 11]! - 0x30;
    if (d0 < 1 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return null;
    const statusCode = d0 * 100 + d1 * 10 + d2;
    if (d0 === 1) return null; // informational: the full parser knows what follows
    let contentLength = -1;
    let lineStart = buffer.indexOf(0x0a, start) + 1;
    while (lineStart > 0 && lineStart < headersEnd + 2) {
      let lineEnd = buffer.indexOf(0x0d, lineStart);
      if (lineEnd < 0 || lineEnd > headersEnd || buffer[lineEnd + 1] !== 0x0a) return null;
      const first = buffer[lineStart]!;
      if (first === 0x20 || first === 0x09) return null; // folded header line
      const lower = first | 0x20;
      if (lower === 0x63 && startsWithName(buffer, lineStart, lineEnd, CONTENT_LENGTH)) {
        if (contentLength >= 0) return null;
        let at = lineStart + CONTENT_LENGTH.length;
        while (at < lineEnd && (buffer[at] === 0x20 || buffer[at] === 0x09)) at++;
        let value = 0;
        let digits = 0;
        for (; at < lineEnd; at++) {
          const digit = buffer[at]! - 0x30;
          if (digit < 0 || digit > 9) break;
          value = value * 10 + digit;
          digits++;
        }
        while (at < lineEnd && (buffer[at] === 0x20 || buffer[at] === 0x09)) at++;
        if (digits === 0 || digits > 15 || at !== lineEnd) return null;
        contentLength = value;
      } else if (lower === 0x74 && startsWithName(buffer, lineStart, lineEnd, TRANSFER_ENCODING)) {
        return null;
      }
      lineStart = lineEnd + 2;
      if (lineEnd === headersEnd) break;
    }
    const noBody = this.skipBodies || statusCode === 204 || statusCode === 304;
    if (!noBody && contentLength < 0) return null; // delimited by the connection's close
    this.onHeadersComplete({
      versionMajor: 1,
      versionMinor: buffer[start + 7]! - 0x30,
      statusCode,
      statusMessage: '',
      headers: NO_HEADERS,
      upgrade: false,
      shouldKeepAlive: true,
    });
    return noBody ? 0 : contentLength;
  }
}
