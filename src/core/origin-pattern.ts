// The host permission and content-script match for one configured origin (a record site, a FHIR
// endpoint, a feed). Firefox refuses a port in a match pattern ("Cannot request origin permission for
// http://127.0.0.1:8451/* since it was not declared in the manifest";
// https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/Match_patterns#host), and Chrome
// matches every port of a host when none is given, so the pattern leaves the port out. The record-page
// script still reads only pages whose origin is exactly a configured site (content-to-bg:get-record-site).

/**
 * The match pattern for every page of an origin's host, in Chrome, Edge and Firefox alike.
 *
 * @example
 * originPattern('https://gp.example.nhs.uk') // 'https://gp.example.nhs.uk/*'
 * originPattern('http://127.0.0.1:8451')     // 'http://127.0.0.1/*'
 */
export function originPattern(origin: string): string {
  try {
    const url = new URL(origin);
    return `${url.protocol}//${url.hostname}/*`;
  } catch {
    return `${origin}/*`;
  }
}
