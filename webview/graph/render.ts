// Draws a placed graph as SVG markup (one string, set once: faster than thousands of DOM calls), and
// updates what changes without a new layout: status colours, the critical path and the selection.
import type { GraphStatus, ViewGraph } from '../../protocol';
import { nodeLines, stubLabel, type Box, type Placed } from './layout';
import { layoutId, type VisibleGraph, type VisibleNode } from './model';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STATUS_MARK: Record<GraphStatus, string> = {
  pending: '○',
  in_progress: '●',
  completed: '✓',
  failed: '✗',
  cancelled: '■',
  blocked: '⊘',
};

export function statusText(status: GraphStatus, durationMs: number | null): string {
  const mark = STATUS_MARK[status];
  if (durationMs === null) return `${mark} ${status.replace('_', ' ')}`;
  return `${mark} ${formatMs(durationMs)}`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function text(x: number, y: number, cls: string, content: string): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" class="${cls}">${escapeXml(content)}</text>`;
}

function taskBox(graph: ViewGraph, v: VisibleNode, box: Box): string {
  const [label, sub] = nodeLines(graph, v.index);
  const { x, y, width, height } = box;
  const key = escapeXml(graph.nodes[v.index].key);
  const parts = [`<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="4"/>`];
  if (v.kind === 'group') {
    parts.push(text(x + 10, y + 17, 'toggle', '▾'), text(x + 24, y + 17, 'label', label), text(x + 24, y + 32, 'sub', v.inner ? `${sub} · waits for ${v.inner} inside` : sub));
  } else {
    const toggle = v.kind === 'collapsed' ? text(x + 10, y + 17, 'toggle', '▸') : '';
    const indent = v.kind === 'collapsed' ? 24 : 10;
    parts.push(toggle, text(x + indent, y + 17, 'label', label), text(x + indent, y + 33, 'sub', sub));
    if (v.kind === 'collapsed') parts.push(text(x + indent, y + 49, 'sub count', `${v.descendants} tasks inside`));
  }
  parts.push(text(x + width - 8, y + 17, 'status', ''));
  if (v.selfLoop) parts.push(text(x + width - 8, y + height - 6, 'self-loop', '↻ depends on itself'));
  return `<g class="box ${v.kind}" data-i="${v.index}" data-key="${key}"><title>${key}</title>${parts.join('')}</g>`;
}

/** The SVG body of the drawing: boxes (groups first, so that their contents are drawn over them), stubs, then edges. */
export function svgMarkup(graph: ViewGraph, visible: VisibleGraph, placed: Placed): string {
  const out: string[] = [];
  const walk = (nodes: VisibleNode[]) => {
    for (const v of nodes) {
      const box = placed.boxes.get(layoutId(v.index));
      if (box) out.push(taskBox(graph, v, box));
      for (const s of v.stubs) {
        const b = placed.boxes.get(s.id);
        if (b)
          out.push(`<g class="stub"><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="4"/>${text(b.x + 8, b.y + 19, 'label', stubLabel(s.ref, s.kind))}</g>`);
      }
      if (v.kind === 'group') walk(v.children);
    }
  };
  walk(visible.roots);
  placed.edges.forEach(({ edge, points }, k) => {
    if (points.length < 2) return;
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    const cls = ['edge', edge.required ? '' : 'optional', edge.cycle ? 'cycle' : '', edge.fromIndex < 0 ? 'dangling' : ''].filter(Boolean).join(' ');
    out.push(`<path class="${cls}" data-e="${k}" d="${d}" marker-end="url(#${edge.cycle || edge.fromIndex < 0 ? 'arrow-bad' : 'arrow'})"/>`);
    if (edge.count > 1) {
      const mid = points[Math.floor(points.length / 2)];
      out.push(text(mid.x + 4, mid.y - 4, 'edge-count', `×${edge.count}`));
    }
  });
  return out.join('\n');
}

export const DEFS = `<defs>
<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow-head"/></marker>
<marker id="arrow-bad" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow-head bad"/></marker>
</defs>`;
