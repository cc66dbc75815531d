// The playground's "Search" tab: a tab bar above the playground, and the Search view mounted on
// first open. `?view=search` in the address opens it directly.
import { SearchView } from './search-view.js';

export function mountSearchTab(playground, main = document.getElementById('playground')) {
  const tabs = document.createElement('nav');
  tabs.className = 'ts-tabs';
  tabs.setAttribute('role', 'tablist');
  tabs.setAttribute('aria-label', 'Views');
  const section = document.createElement('section');
  section.id = 'search';
  section.className = 'ts-search-page';
  section.hidden = true;
  const tab = (text, panel) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = text;
    button.setAttribute('role', 'tab');
    button.setAttribute('aria-controls', panel.id);
    button.addEventListener('click', () => select(text));
    return button;
  };
  const playgroundTab = tab('Playground', main);
  const searchTab = tab('Search', section);
  tabs.append(playgroundTab, searchTab);
  main.before(tabs);
  main.after(section);
  let view = null;
  const select = (name) => {
    const searching = name === 'Search';
    if (searching && playground.running) playground.togglePlay?.();
    main.hidden = searching;
    section.hidden = !searching;
    playgroundTab.setAttribute('aria-selected', String(!searching));
    searchTab.setAttribute('aria-selected', String(searching));
    if (searching && !view) {
      view = new SearchView(section, { baseConfig: () => playground.getState().config, playgroundUrl: location.pathname });
    }
    return view;
  };
  select(new URLSearchParams(location.search).get('view') === 'search' ? 'Search' : 'Playground');
  return { select, get view() { return view; } };
}
