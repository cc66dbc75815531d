// Which settings have no effect for the current values, and why (issue 15 §4: a control that
// does nothing is disabled, with the reason in its description). Pure: no DOM, testable in node.
// Only settings the page shows as controls are listed; the schema has no momentum or group-count
// control, so those rules wait for their controls.

const SCALED_INITS = ['normal', 'uniform'];

const rules = {
  init_scale: (values) => {
    if (SCALED_INITS.includes(values.init)) return '';
    const own = values.init === 'he' || values.init === 'xavier' ? `: “${values.init}” sets its scale from each layer’s fan-in` : '';
    return `No effect with Initializer “${values.init}”${own}. Init scale is the std of “normal” and the bound of “uniform”.`;
  },
};

// The hidden-stack controls describe model.hidden; a network given as a layer list has none.
const LAYER_LIST = 'No effect: this network is a layer list (model.layers, shown in the architecture line above), not a stack of equal hidden layers.';

/**
 * Why setting `id` has no effect with `values`, or '' when it has one. `context.layerList`: the
 * run's config gives model.layers.
 */
export function inapplicableReason(id, values, context = {}) {
  if (context.layerList && (id === 'layers' || id === 'units')) return LAYER_LIST;
  return rules[id]?.(values) ?? '';
}
