import type zh from '../zh-CN/reports.js';
import type { Catalogue } from '../types.js';

const en: Catalogue<typeof zh> = {
  title: '',
};
export default en;
