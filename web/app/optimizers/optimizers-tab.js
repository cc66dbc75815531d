// The playground's "Optimizers" tab, beside Playground and Search (search-tab.js makes the tab
// bar). `?view=optimizers` or a hash with `view=optimizers` opens it; the view's state then lives
// in the hash ("#view=optimizers&surface=saddle&…"), so the playground does not read that hash.
import { serializeHash } from '../url-state.js';
import { OptimizerView } from './optimizer-view.js';
import { opensOptimizers } from './opens.js';

export { opensOptimizers };

export function mountOptimizersTab(playground, main = document.getElementById('playground')) {
  const tabs = document.querySelector('.ts-tabs');
  const section = document.createElement('section');
  section.id = 'optimizers';
  section.className = 'ts-optimizers-page';
  section.hidden = true;
  const tab = document.createElement('button');
  tab.type = 'button';
  tab.textContent = 'Optimizers';
  tab.setAttribute('role', 'tab');
  tab.setAttribute('aria-controls', section.id);
  tab.setAttribute('aria-selected', 'false');
  const others = [...tabs.querySelectorAll('[role="tab"]')];
  tabs.append(tab);
  main.parentElement.append(section);
  let view = null;
  const leave = () => {
    if (section.hidden) return;
    section.hidden = true;
    tab.setAttribute('aria-selected', 'false');
    view?.pause();
    // The address goes back to the playground's settings.
    const state = playground.getState();
    history.replaceState(null, '', `${location.pathname}${location.search.replace(/([?&])view=optimizers&?/, '$1').replace(/[?&]$/, '')}${serializeHash(state.preset, state.values)}`);
  };
  // The other tabs show their own panel; this one hides itself when they are chosen.
  for (const other of others) other.addEventListener('click', leave);
  const select = () => {
    if (playground.running) playground.togglePlay?.();
    for (const other of others) {
      other.setAttribute('aria-selected', 'false');
      const panel = document.getElementById(other.getAttribute('aria-controls'));
      if (panel) panel.hidden = true;
    }
    section.hidden = false;
    tab.setAttribute('aria-selected', 'true');
    if (!view) {
      // Opened from the playground: its settings in the hash are not this view's.
      if (!opensOptimizers()) history.replaceState(null, '', `${location.pathname}${location.search}`);
      view = new OptimizerView(section, { urlSync: true });
    }
    else history.replaceState(null, '', `${location.pathname}${location.search}${view.hash}`);
    return view;
  };
  tab.addEventListener('click', select);
  if (opensOptimizers()) select();
  return { select, get view() { return view; } };
}
