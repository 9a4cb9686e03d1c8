/**
 * Placeholder page until the React UI lands: proves the bridge end to end (window.api → IPC →
 * engine) with plain DOM. The real UI replaces this file.
 */
import type { WindowApi } from '../../db/bridge-api.js';
import type { Contract } from '../../db/contract.js';

declare global {
  interface Window {
    api: WindowApi<Contract>;
  }
}

function show(text: string): void {
  const el = document.getElementById('status');
  if (el) el.textContent = text;
}

async function main(): Promise<void> {
  if (!('api' in window)) {
    show('未连接台账引擎（window.api 不存在）。');
    return;
  }
  const r = await window.api.invoke('ledger:status', undefined);
  if (!r.ok) show(`台账引擎返回错误：${r.error.message}`);
  else show(r.value.setUp ? `台账已就绪：${r.value.office?.name ?? ''}` : '台账尚未建立：请完成首次设置。');
  window.api.onMenu((command) => show(`菜单命令：${command}`));
}

void main();
