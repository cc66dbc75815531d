// The chart frame shared by every chart: a <figure> whose accessible name is exactly its title,
// a header with optional toggles, a fixed-height body (so nothing shifts while training), a
// reserved line for live numbers, an empty-state overlay, and the one-line "what am I looking at".

export function createFigure(doc, { id, title, explain }) {
  const figure = doc.createElement('figure');
  figure.className = 'ts-chart';
  figure.dataset.chart = id;
  figure.setAttribute('aria-label', title);

  const head = doc.createElement('div');
  head.className = 'ts-chart-head';
  const heading = doc.createElement('h2');
  heading.className = 'ts-chart-title';
  heading.textContent = title;
  const tools = doc.createElement('div');
  tools.className = 'ts-chart-tools';
  head.append(heading, tools);

  const body = doc.createElement('div');
  body.className = 'ts-chart-body';
  const plot = doc.createElement('div');
  plot.className = 'ts-chart-plot';
  const empty = doc.createElement('div');
  empty.className = 'ts-chart-empty';
  body.append(plot, empty);

  const values = doc.createElement('p');
  values.className = 'ts-chart-values';

  const caption = doc.createElement('figcaption');
  caption.className = 'ts-chart-explain';
  caption.textContent = explain;

  figure.append(head, body, values, caption);

  return {
    figure,
    tools,
    plot,
    values,
    caption,
    /** Show a message over the plot (empty state), or hide it with ''. */
    setEmpty(message) {
      empty.textContent = message;
      empty.hidden = !message;
    },
    /** A small labelled checkbox in the header. */
    addToggle(label, checked, onToggle) {
      const wrapper = doc.createElement('label');
      wrapper.className = 'ts-toggle';
      const input = doc.createElement('input');
      input.type = 'checkbox';
      input.checked = checked;
      input.addEventListener('change', () => onToggle(input.checked));
      wrapper.append(input, doc.createTextNode(label));
      tools.append(wrapper);
      return input;
    },
  };
}
