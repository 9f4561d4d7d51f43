/** Test support: small fetch wrappers that return status, headers and the parsed JSON body (typed loosely for assertions). */

export interface JsonResponse { status: number; headers: Headers; body: any }

export async function fetchJson(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** GET url and return the JSON body. */
export async function getJson(url: string, token?: string): Promise<any> {
  return (await fetchJson(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {})).body;
}
