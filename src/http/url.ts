/** `http://host:port`, with an IPv6 host in brackets: how the gateway prints and tests reach a listener. */
export function httpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
