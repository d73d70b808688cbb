/**
 * The collector client: the {@code http} exporter ({@link io.sensorreader.http.HttpExporterFactory}),
 * which sends sensor batches to {@code POST /metrics} and device status to
 * {@code POST /devices/status}, and the registration request {@code POST /devices} behind
 * {@link io.sensorreader.api.Exporter#registrar()}. The contract is {@code collector-api.md}.
 *
 * <h2>Threads and time</h2>
 * For {@code http://}, a small HTTP/1.1 client over a socket ({@code PlainHttp}): keep-alive,
 * {@code Content-Length} requests, answers framed by length, chunked or by the connection's end, no
 * threads of its own. For {@code https://}, the JDK's {@link java.net.http.HttpClient}, loaded only
 * then, TLS verified by the JDK's defaults. No redirects are followed. {@code deliver} and {@code
 * register} may be called from several threads at once; each makes one request and returns within
 * connect timeout plus request timeout, whatever the other side does (connecting, writing the
 * request, a body that trickles in). An interrupt cancels the request at once. At most 64 KiB of an
 * answer's body is read: a 201 with a longer body counts as delivered (with a WARN, once a minute
 * at most), since resending would store the batch twice; a longer error body is cut.
 *
 * <h2>What answers mean</h2>
 * 201 with the collector's JSON: delivered. 401: retry later, cause {@code UNAUTHORIZED} (the agent
 * registers again and resends once). 400 and 422 with the collector's {@code {"error": ...}}:
 * rejected; {@code Unknown sensor type: X} names X in {@code unknownTypes}. 404 and 405: retry
 * later, cause {@code MISDIRECTED}, logged as an ERROR (once a minute at most). Everything else
 * (5xx, timeouts, refused or reset connections, TLS failures, HTML pages, bodies that are not JSON,
 * 2xx other than 201, a 400/422 without the collector's error body): retry later, cause
 * {@code TRANSIENT}, with the status and the first 200 characters of the body in the detail, and
 * {@code Retry-After} (seconds or an HTTP date, clamped to 0 s - 1 day) as the hint. Nothing is sent while the agent has no
 * token: cause {@code NOT_REGISTERED}.
 *
 * <h2>Secrets</h2>
 * The token is read from the agent's {@link io.sensorreader.api.TokenSource} for every request and
 * appears only in the {@code X-API-KEY} header: never in a log line, a detail text or an exception.
 * Bodies of successful registrations are never echoed, since they carry a token. Whatever text
 * came from the server (error bodies, the first bytes of an answer) is scrubbed before it goes into
 * a detail or a log line: the {@code X-API-KEY} value sent, runs of 64 hex digits and JWT-shaped
 * strings become {@code [redacted]}.
 */
package io.sensorreader.http;
