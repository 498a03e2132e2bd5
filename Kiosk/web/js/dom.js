// Building DOM from data without innerHTML: names carry apostrophes and could carry '<', and the
// Content-Security-Policy forbids inline styles, so every node is made here with textContent and classes.

/**
 * el('p', {class: 'x', testid: 'y', data: {login: 'a'}}, 'text', childNode, null)
 * Attribute values are set with setAttribute; children are strings (text nodes), nodes, or null/false (skipped).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'testid') node.setAttribute('data-testid', value);
    else if (name === 'data') for (const [k, v] of Object.entries(value)) node.dataset[k] = v;
    else if (name === 'on') for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Removes every child node: wiping must take things out of the DOM, not merely hide them. */
export function clear(node) {
  node.replaceChildren();
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`index.html lacks #${id}`); // a bug in the page, not a runtime condition
  return node;
}

/** Shows a node with a text, or hides it when the text is empty. */
export function setMessage(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
}
