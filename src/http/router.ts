/** The route matcher: compiles the one route table into a segment trie and finds a route for a method and path. */
import type { Route } from './route.js';

interface Node {
  literal: Map<string, Node>;
  param?: { name: string; node: Node };
  routes: Map<string, Route>;
}

const newNode = (): Node => ({ literal: new Map(), routes: new Map() });

export type Match =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method'; allowed: string[] }
  | { kind: 'none' };

/** A compiled route table. Paths use `{name}` for a whole-segment parameter. */
export class Router {
  private readonly root = newNode();

  constructor(routes: readonly Route[]) {
    for (const r of routes) this.add(r);
  }

  private add(route: Route): void {
    let node = this.root;
    for (const seg of route.path.split('/').slice(1)) {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m) {
        if (!node.param) node.param = { name: m[1]!, node: newNode() };
        else if (node.param.name !== m[1]) throw new Error(`route ${route.path}: parameter {${m[1]}} clashes with {${node.param.name}}`);
        node = node.param.node;
      } else {
        let next = node.literal.get(seg);
        if (!next) node.literal.set(seg, (next = newNode()));
        node = next;
      }
    }
    if (node.routes.has(route.method)) throw new Error(`duplicate route ${route.method} ${route.path}`);
    node.routes.set(route.method, route);
  }

  /** Finds the route for `method` and the raw (still percent-encoded) `path`. */
  match(method: string, path: string): Match {
    const segs = path.split('/').slice(1);
    const params: Record<string, string> = {};
    const node = this.walk(this.root, segs, 0, params);
    if (!node || node.routes.size === 0) return { kind: 'none' };
    const route = node.routes.get(method) ?? (method === 'HEAD' ? node.routes.get('GET') : undefined);
    if (route) return { kind: 'found', route, params };
    return { kind: 'method', allowed: [...node.routes.keys()] };
  }

  private walk(node: Node, segs: string[], i: number, params: Record<string, string>): Node | undefined {
    if (i === segs.length) return node.routes.size ? node : undefined;
    const seg = segs[i]!;
    const lit = node.literal.get(seg);
    if (lit) {
      const found = this.walk(lit, segs, i + 1, params);
      if (found) return found;
    }
    if (node.param && seg !== '') {
      const found = this.walk(node.param.node, segs, i + 1, params);
      if (found) {
        params[node.param.name] = seg;
        return found;
      }
    }
    return undefined;
  }
}
