import { useRoute } from '../../core/router.js';
import { RoundList } from './RoundList.js';
import { RoundPage } from './RoundPage.js';
import { UnitPage } from './UnitPage.js';
import './rounds.css';

/**
 * 巡视轮次 → 被巡视单位 → 单位页:
 *   #/rounds (the list) · #/rounds/<roundId> (teams and units with their clocks) · #/rounds/<roundId>/<unitId> (the unit page).
 */
export function RoundsScreen() {
  const r = useRoute();
  if (r.id && r.sub) return <UnitPage key={`${r.id}/${r.sub}`} roundId={r.id} unitId={r.sub} />;
  if (r.id) return <RoundPage key={r.id} roundId={r.id} />;
  return <RoundList />;
}
