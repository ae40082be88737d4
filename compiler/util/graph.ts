/** A directed graph over string ids; edges point from a node to what it depends on. */
export class Digraph {
  readonly #edges = new Map<string, Set<string>>();

  addNode(id: string): void {
    if (!this.#edges.has(id)) this.#edges.set(id, new Set());
  }

  addEdge(from: string, to: string): void {
    this.addNode(from);
    this.addNode(to);
    this.#edges.get(from)!.add(to);
  }

  nodes(): string[] {
    return [...this.#edges.keys()].sort();
  }

  successors(id: string): string[] {
    return [...(this.#edges.get(id) ?? [])].sort();
  }

  /**
   * Dependencies first; among nodes that are ready at the same time, by id. Nodes on a cycle are
   * left out (findCycles reports them).
   */
  topoSort(): string[] {
    const remaining = new Map<string, number>();
    const dependants = new Map<string, string[]>();
    for (const id of this.nodes()) {
      remaining.set(id, this.#edges.get(id)!.size);
      for (const dep of this.#edges.get(id)!) {
        if (!dependants.has(dep)) dependants.set(dep, []);
        dependants.get(dep)!.push(id);
      }
    }
    const ready = [...remaining].filter(([, n]) => n === 0).map(([id]) => id).sort();
    const out: string[] = [];
    while (ready.length > 0) {
      const id = ready.shift()!;
      out.push(id);
      for (const d of dependants.get(id) ?? []) {
        const n = remaining.get(d)! - 1;
        remaining.set(d, n);
        if (n === 0) {
          const at = ready.findIndex((r) => r > d);
          ready.splice(at < 0 ? ready.length : at, 0, d);
        }
      }
    }
    return out;
  }

  /**
   * One cycle per strongly connected component that has one, as a path [a, b, ..., a],
   * starting at the component's smallest id and following the smallest successor inside it.
   */
  findCycles(): string[][] {
    const cycles: string[][] = [];
    for (const component of this.#components()) {
      const members = new Set(component);
      const start = [...component].sort()[0]!;
      if (component.length === 1 && !this.#edges.get(start)!.has(start)) continue;
      cycles.push(this.cycleThrough(start, members)!);
    }
    return cycles.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  }

  /**
   * The shortest cycle through `start` as a path [start, ..., start] (BFS over sorted successors,
   * only through `within` when given); undefined when `start` is on none.
   */
  cycleThrough(start: string, within?: ReadonlySet<string>): string[] | undefined {
    const previous = new Map<string, string>();
    const queue = [start];
    let closing: string | undefined;
    while (queue.length > 0 && closing === undefined) {
      const id = queue.shift()!;
      for (const next of this.successors(id)) {
        if (within && !within.has(next)) continue;
        if (next === start) {
          closing = id;
          break;
        }
        if (!previous.has(next)) {
          previous.set(next, id);
          queue.push(next);
        }
      }
    }
    if (closing === undefined) return undefined;
    const path = [start];
    for (let at = closing; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
    path.push(start);
    return path;
  }

  /** Tarjan's strongly connected components. */
  #components(): string[][] {
    let counter = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const out: string[][] = [];
    const connect = (v: string): void => {
      index.set(v, counter);
      low.set(v, counter++);
      stack.push(v);
      onStack.add(v);
      for (const w of this.successors(v)) {
        if (!index.has(w)) {
          connect(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        out.push(component);
      }
    };
    for (const v of this.nodes()) if (!index.has(v)) connect(v);
    return out;
  }
}
