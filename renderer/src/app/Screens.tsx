import type { ComponentType } from 'react';
import { ArchiveScreen } from '../screens/archive/ArchiveScreen.js';
import { BackupScreen } from '../screens/backup/BackupScreen.js';
import { ExcelScreen } from '../screens/excel/ExcelScreen.js';
import { ExchangeScreen } from '../screens/exchange/ExchangeScreen.js';
import { LedgersScreen } from '../screens/ledgers/LedgersScreen.js';
import { Home } from '../screens/home/Home.js';
import { NotYet } from '../screens/NotYet.js';
import { ProblemDetail } from '../screens/detail/ProblemDetail.js';
import { TaskDetail } from '../screens/detail/TaskDetail.js';
import { DutyScreen } from '../screens/lists/DutyScreen.js';
import { ProblemsScreen } from '../screens/lists/ProblemsScreen.js';
import { TasksScreen } from '../screens/lists/TasksScreen.js';
import { RoundsScreen } from '../screens/rounds/RoundsScreen.js';
import { RatingsScreen } from '../screens/settings/RatingsScreen.js';
import { ReportsScreen } from '../screens/settings/ReportsScreen.js';
import { SettingsScreen } from '../screens/settings/SettingsScreen.js';
import { CluesScreen } from '../screens/supervision/CluesScreen.js';
import { SuggestionsScreen } from '../screens/supervision/SuggestionsScreen.js';
import { SupervisionScreen } from '../screens/supervision/SupervisionScreen.js';

/**
 * Section (first part of the hash route) → screen. Routes:
 *   #/home · #/rounds[/<roundId>[/<unitId>]] · #/problems[/search/<q>] · #/problem/<id> · #/tasks ·
 *   #/task/<id> · #/duty · #/clues[/<id>] · #/suggestions · #/supervision · #/reports · #/ratings · #/settings[/<tab>] ·
 *   #/ledgers (法定台账打印) · #/excel[/import|/export] (Excel 导入导出) · #/exchange (数据交换) · #/backup (备份与恢复) · #/archive (轮次归档, 管理员)
 */
const SCREENS: Record<string, ComponentType> = {
  home: Home,
  rounds: RoundsScreen,
  problems: ProblemsScreen,
  problem: ProblemDetail,
  tasks: TasksScreen,
  task: TaskDetail,
  duty: DutyScreen,
  clues: CluesScreen,
  suggestions: SuggestionsScreen,
  supervision: SupervisionScreen,
  reports: ReportsScreen,
  ledgers: LedgersScreen,
  ratings: RatingsScreen,
  exchange: ExchangeScreen,
  excel: ExcelScreen,
  settings: SettingsScreen,
  backup: BackupScreen,
  archive: ArchiveScreen,
};

export function screenFor(section: string): ComponentType {
  return SCREENS[section] ?? NotYet;
}
