// The worklist being built: cases picked on the search page, kept for this tab until created.
const KEY = 'lightbox.worklistDraft';

export function draft() {
  try { return JSON.parse(sessionStorage.getItem(KEY) || '[]'); } catch (err) { return []; }
}
export function save(items) { sessionStorage.setItem(KEY, JSON.stringify(items)); }
export function has(id) { return draft().some((c) => c.id === id); }
export function add(item) { if (!has(item.id)) save([...draft(), { id: item.id, title: item.title }]); }
export function remove(id) { save(draft().filter((c) => c.id !== id)); }
export function clearDraft() { sessionStorage.removeItem(KEY); }
