import { NotYet } from '../NotYet.js';

/** Placeholder until this screen is built. */
export function SupervisionScreen() {
  return <NotYet />;
}
