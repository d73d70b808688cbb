/**
 * The collector client: the {@code http} exporter ({@link io.sensorreader.http.HttpExporterFactory}),
 * which sends sensor batches to {@code POST /metrics} and device status to
 * {@code POST /devices/status}, and the registration request {@code POST /devices} behind
 * {@link io.sensorreader.api.Exporter#registrar()}. The contract is {@code collector-api.md}.
 *
 * <h2>Threads and time</h2>
 * One JDK {@link java.net.http.HttpClient} per exporter, HTTP/1.1 with keep-alive, TLS verified by
 * the JDK's defaults, no redirects followed. {@code deliver} and {@code register} may be called
 * from several threads at once; each makes one request and returns within connect timeout plus
 * request timeout, whatever the other side does. An interrupt cancels the request at once.
 *
 * <h2>What answers mean</h2>
 * 201 with the collector's JSON: delivered. 401: retry later, cause {@code UNAUTHORIZED} (the agent
 * registers again and resends once). 400 and 422 with the collector's {@code {"error": ...}}:
 * rejected; {@code Unknown sensor type: X} names X in {@code unknownTypes}. 404 and 405: retry
 * later, cause {@code MISDIRECTED}, logged as an ERROR (once a minute at most). Everything else
 * (5xx, timeouts, refused or reset connections, TLS failures, HTML pages, bodies that are not JSON,
 * 2xx other than 201, a 400/422 without the collector's error body): retry later, cause
 * {@code TRANSIENT}, with the status and the first 200 characters of the body in the detail, and
 * {@code Retry-After} (seconds or an HTTP date) as the hint. Nothing is sent while the agent has no
 * token: cause {@code NOT_REGISTERED}.
 *
 * <h2>Secrets</h2>
 * The token is read from the agent's {@link io.sensorreader.api.TokenSource} for every request and
 * appears only in the {@code X-API-KEY} header: never in a log line, a detail text or an exception.
 * Bodies of successful registrations are never echoed, since they carry a token.
 */
package io.sensorreader.http;
