import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Digraph } from "../../compiler/util/graph.js";

type Edge = readonly [from: string, to: string];

function build(nodes: readonly string[], edges: readonly Edge[]): Digraph {
  const g = new Digraph();
  for (const n of nodes) g.addNode(n);
  for (const [from, to] of edges) g.addEdge(from, to);
  return g;
}

/** Kahn's algorithm that always takes the smallest ready id: the order topoSort promises. */
function referenceTopo(nodes: readonly string[], edges: readonly Edge[]): string[] {
  const deps = new Map<string, Set<string>>(nodes.map((n) => [n, new Set<string>()]));
  for (const [from, to] of edges) {
    if (!deps.has(from)) deps.set(from, new Set());
    if (!deps.has(to)) deps.set(to, new Set());
    deps.get(from)!.add(to);
  }
  const done = new Set<string>();
  const out: string[] = [];
  for (;;) {
    const ready = [...deps].filter(([id, d]) => !done.has(id) && [...d].every((x) => done.has(x))).map(([id]) => id).sort();
    if (ready.length === 0) return out;
    done.add(ready[0]!);
    out.push(ready[0]!);
  }
}

/** Nodes reachable from `id` by one or more edges. */
function reachable(edges: readonly Edge[], id: string): Set<string> {
  const seen = new Set<string>();
  const queue = [id];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const [from, to] of edges) {
      if (from === at && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}

/** Strongly connected components that contain a cycle (size > 1, or a self-loop), each sorted. */
function cyclicComponents(nodes: readonly string[], edges: readonly Edge[]): string[][] {
  const reach = new Map(nodes.map((n) => [n, reachable(edges, n)]));
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const n of [...nodes].sort()) {
    if (seen.has(n) || !reach.get(n)!.has(n)) continue;
    const component = nodes.filter((m) => m === n || (reach.get(n)!.has(m) && reach.get(m)!.has(n))).sort();
    for (const m of component) seen.add(m);
    out.push(component);
  }
  return out;
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
}

const ids = fc.uniqueArray(fc.stringMatching(/^[a-e][a-z0-9]{0,2}$/), { minLength: 1, maxLength: 9 });

/** A random DAG: an edge may only point from a later-generated id to an earlier one. */
const dag = ids.chain((nodes) =>
  fc
    .uniqueArray(fc.tuple(fc.nat({ max: nodes.length - 1 }), fc.nat({ max: nodes.length - 1 })), {
      maxLength: 20,
      selector: ([a, b]) => `${Math.max(a, b)}>${Math.min(a, b)}`,
    })
    .map((pairs) => ({
      nodes,
      edges: pairs.filter(([a, b]) => a !== b).map(([a, b]): Edge => (a > b ? [nodes[a]!, nodes[b]!] : [nodes[b]!, nodes[a]!])),
    })),
);

/** A random graph, cycles and self-loops allowed. */
const anyGraph = ids.chain((nodes) =>
  fc
    .uniqueArray(fc.tuple(fc.constantFrom(...nodes), fc.constantFrom(...nodes)), { maxLength: 18, selector: ([a, b]) => `${a}>${b}` })
    .map((edges) => ({ nodes, edges: edges as Edge[] })),
);

describe("Digraph.topoSort", () => {
  it("puts dependencies before the nodes that depend on them", () => {
    const g = build([], [
      ["app", "db"],
      ["app", "cache"],
      ["cache", "net"],
      ["db", "net"],
    ]);
    const order = g.topoSort();
    expect(order).toEqual(["net", "cache", "db", "app"]);
  });

  it("breaks ties by id, whatever the insertion order", () => {
    const nodes = ["d", "b", "a", "c"];
    const edges: Edge[] = [
      ["d", "a"],
      ["c", "a"],
    ];
    const results = new Set<string>();
    for (const nodeOrder of permutations(nodes)) {
      for (const edgeOrder of permutations(edges)) results.add(JSON.stringify(build(nodeOrder, edgeOrder).topoSort()));
    }
    expect([...results]).toEqual([JSON.stringify(["a", "b", "c", "d"])]);
  });

  it("takes a newly ready node before a larger id that was ready earlier", () => {
    // "b" becomes ready once "a" is done, and must come before the already-ready "z".
    const g = build(["z"], [["b", "a"]]);
    expect(g.topoSort()).toEqual(["a", "b", "z"]);
  });

  it("includes isolated nodes and returns [] for an empty graph", () => {
    expect(new Digraph().topoSort()).toEqual([]);
    expect(build(["y", "x"], []).topoSort()).toEqual(["x", "y"]);
  });

  it("on random DAGs: every node once, every edge's target first, independent of insertion order", () => {
    fc.assert(
      fc.property(
        dag.chain((d) =>
          fc.tuple(
            fc.constant(d),
            fc.shuffledSubarray(d.nodes, { minLength: d.nodes.length, maxLength: d.nodes.length }),
            fc.shuffledSubarray(d.edges, { minLength: d.edges.length, maxLength: d.edges.length }),
          ),
        ),
        ([{ nodes, edges }, shuffledNodes, shuffledEdges]) => {
          const order = build(nodes, edges).topoSort();
          expect([...order].sort()).toEqual([...nodes].sort());
          const at = new Map(order.map((id, i) => [id, i]));
          for (const [from, to] of edges) expect(at.get(to)!).toBeLessThan(at.get(from)!);
          expect(order).toEqual(referenceTopo(nodes, edges));
          expect(build(shuffledNodes, shuffledEdges).topoSort()).toEqual(order);
          // Edges only (nodes introduced by addEdge), in the shuffled order, too.
          const isolated = nodes.filter((n) => !edges.some(([a, b]) => a === n || b === n));
          expect(build(isolated, shuffledEdges).topoSort()).toEqual(order);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("leaves out nodes on a cycle (and anything that depends on one)", () => {
    const g = build(["solo"], [
      ["a", "b"],
      ["b", "a"],
      ["self", "self"],
      ["top", "a"],
      ["a", "base"],
    ]);
    const order = g.topoSort();
    expect(order).toEqual(["base", "solo"]);
  });

  it("on random graphs: never lists a cycle node, and what it lists is a valid order", () => {
    fc.assert(
      fc.property(anyGraph, ({ nodes, edges }) => {
        const order = build(nodes, edges).topoSort();
        const onCycle = new Set(cyclicComponents(nodes, edges).flat());
        for (const id of order) expect(onCycle.has(id)).toBe(false);
        expect(new Set(order).size).toBe(order.length);
        const at = new Map(order.map((id, i) => [id, i]));
        for (const [from, to] of edges) {
          if (at.has(from)) expect(at.get(to)).toBeLessThan(at.get(from)!);
        }
        // A node that reaches no cycle is always placed.
        for (const n of nodes) {
          const reach = reachable(edges, n);
          if (![...reach, n].some((m) => onCycle.has(m))) expect(at.has(n)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("Digraph.findCycles", () => {
  it("returns [] for an acyclic graph", () => {
    expect(build(["x"], [["a", "b"], ["b", "c"], ["a", "c"]]).findCycles()).toEqual([]);
  });

  it("reports a self-loop as [a, a]", () => {
    expect(build([], [["a", "a"]]).findCycles()).toEqual([["a", "a"]]);
  });

  it("reports a 2-cycle starting at the smaller id", () => {
    expect(build([], [["b", "a"], ["a", "b"]]).findCycles()).toEqual([["a", "b", "a"]]);
  });

  it("reports a 3-cycle as a closed path from the smallest id, following the edges", () => {
    // b → c → a → b, inserted starting elsewhere.
    expect(build([], [["c", "a"], ["b", "c"], ["a", "b"]]).findCycles()).toEqual([["a", "b", "c", "a"]]);
    // The reverse direction gives the reverse path.
    expect(build([], [["a", "c"], ["c", "b"], ["b", "a"]]).findCycles()).toEqual([["a", "c", "b", "a"]]);
  });

  it("reports one cycle per strongly connected component, sorted by their first id", () => {
    const g = build([], [
      ["q", "p"],
      ["p", "q"],
      ["b", "c"],
      ["c", "b"],
      ["c", "p"], // joins the two components one way only
    ]);
    expect(g.findCycles()).toEqual([
      ["b", "c", "b"],
      ["p", "q", "p"],
    ]);
  });

  it("reports only the cycle of a cycle with a tail", () => {
    // tail1 → tail2 → m → n → o → m, and o → end
    const g = build([], [
      ["tail1", "tail2"],
      ["tail2", "m"],
      ["m", "n"],
      ["n", "o"],
      ["o", "m"],
      ["o", "end"],
    ]);
    expect(g.findCycles()).toEqual([["m", "n", "o", "m"]]);
  });

  it("reports one cycle for a component with several cycles, through its smallest id", () => {
    // a → b → a and a → c → d → a share "a".
    const g = build([], [
      ["a", "c"],
      ["c", "d"],
      ["d", "a"],
      ["a", "b"],
      ["b", "a"],
    ]);
    const cycles = g.findCycles();
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toEqual(["a", "b", "a"]);
  });

  it("on random graphs: one closed path of real edges per cyclic component, from its smallest id", () => {
    fc.assert(
      fc.property(anyGraph, ({ nodes, edges }) => {
        const cycles = build(nodes, edges).findCycles();
        const components = cyclicComponents(nodes, edges);
        expect(cycles.map((c) => c[0])).toEqual(components.map((c) => c[0]));
        const edgeSet = new Set(edges.map(([a, b]) => `${a}>${b}`));
        cycles.forEach((cycle, i) => {
          expect(cycle.length).toBeGreaterThanOrEqual(2);
          expect(cycle[cycle.length - 1]).toBe(cycle[0]);
          const inner = cycle.slice(0, -1);
          expect(new Set(inner).size).toBe(inner.length);
          for (const id of inner) expect(components[i]).toContain(id);
          for (let k = 0; k + 1 < cycle.length; k++) expect(edgeSet.has(`${cycle[k]}>${cycle[k + 1]}`)).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe("Digraph on large inputs", () => {
  const id = (i: number) => `n${String(i).padStart(5, "0")}`;

  it("handles a 2,000-node chain without overflowing the stack", () => {
    const g = new Digraph();
    for (let i = 0; i + 1 < 2000; i++) g.addEdge(id(i), id(i + 1));
    const order = g.topoSort();
    expect(order).toHaveLength(2000);
    expect(order[0]).toBe(id(1999));
    expect(order[1999]).toBe(id(0));
    expect(g.findCycles()).toEqual([]);
  });

  it("handles a 2,000-node cycle without overflowing the stack", () => {
    const g = new Digraph();
    for (let i = 0; i < 2000; i++) g.addEdge(id(i), id((i + 1) % 2000));
    expect(g.topoSort()).toEqual([]);
    const cycles = g.findCycles();
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(2001);
    expect(cycles[0]![0]).toBe(id(0));
    expect(cycles[0]![1]).toBe(id(1));
  });
});
