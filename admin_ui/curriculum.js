// The curriculum tree: fetched once per page view, as nodes with children, plus a browser widget.
import { h } from './dom.js';
import { gql } from './gql.js';
import { CURRICULUM } from './ops.js';

/** { nodes, byCode, roots } with children arrays, in the server's order. */
export async function loadTree() {
  const data = await gql(CURRICULUM, {});
  const byCode = new Map();
  for (const n of data.curriculum) byCode.set(n.code, { ...n, children: [] });
  const roots = [];
  for (const n of byCode.values()) {
    const parent = n.parentCode && byCode.get(n.parentCode);
    if (parent) parent.children.push(n); else roots.push(n);
  }
  return { nodes: [...byCode.values()], byCode, roots };
}

export const CODE_RE = /^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)*$/;

/**
 * Nodes whose code or title contains the text, best first (code prefix, then title word).
 * Retired codes are left out when `retired` is false (tagging); a search may still look for them.
 */
export function findNodes(tree, text, limit = 8, { retired = true } = {}) {
  const q = text.trim().toLowerCase();
  if (!q) return [];
  const scored = [];
  for (const n of tree.nodes) {
    if (n.deprecated && !retired) continue;
    const code = n.code.toLowerCase();
    const name = n.title.toLowerCase();
    let score = -1;
    if (code === q) score = 0;
    else if (code.startsWith(q)) score = 1;
    else if (name.startsWith(q)) score = 2;
    else if (name.includes(q) || code.includes(q)) score = 3;
    if (score >= 0) scored.push([score, n.depth, n]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].code.localeCompare(b[2].code));
  return scored.slice(0, limit).map((x) => x[2]);
}

/** "Retired: use NEW.CODE (title)", or null for a live code. */
export function retiredNote(node) {
  if (!node || !node.deprecated) return null;
  return node.replacedBy ? `Retired: use ${node.replacedBy.code} (${node.replacedBy.title})` : 'Retired';
}

/**
 * A browsable tree: expand/collapse buttons (aria-expanded) and one action button per node.
 * `onPick(node)` runs when a node is chosen; `selected` is a Set of codes shown as pressed.
 * With `retired: false` retired codes (and subtrees holding nothing else) are not offered.
 */
export function treeBrowser(tree, { onPick, selected = new Set(), label = 'Curriculum', counts = true, open = new Set(), retired = true }) {
  const shown = (node) => retired || !node.deprecated;
  function item(node) {
    const children = node.children.filter(shown);
    const hasKids = children.length > 0;
    const expanded = open.has(node.code) || [...selected].some((c) => c.startsWith(`${node.code}.`));
    const kids = hasKids ? h('ul', { role: 'group', hidden: !expanded }, children.map(item)) : null;
    const toggle = hasKids
      ? h('button', { type: 'button', class: 'twisty', 'aria-expanded': String(expanded), 'aria-label': `Show topics under ${node.title}`,
        onclick: (e) => {
          const now = e.currentTarget.getAttribute('aria-expanded') !== 'true';
          e.currentTarget.setAttribute('aria-expanded', String(now));
          kids.hidden = !now;
          if (now) open.add(node.code); else open.delete(node.code);
        } }, '')
      : h('span', { class: 'twisty-space', 'aria-hidden': 'true' });
    const pick = h('button', { type: 'button', class: 'node', 'aria-pressed': String(selected.has(node.code)),
      dataset: { code: node.code }, onclick: () => onPick(node) },
    h('span', { class: 'node-title' }, node.title), ' ', h('code', {}, node.code),
    node.deprecated ? h('span', { class: 'retired', title: retiredNote(node) }, ' (retired)') : null,
    counts ? h('span', { class: 'count', 'aria-label': `${node.validatedCaseCount} validated cases` }, String(node.validatedCaseCount)) : null);
    return h('li', {}, h('div', { class: 'node-row' }, toggle, pick), kids);
  }
  return h('ul', { class: 'tree', 'aria-label': label }, tree.roots.filter(shown).map(item));
}
