// 查询进度: the print button (no inline script under the content security policy).
document.querySelectorAll('[data-print]').forEach((b) => b.addEventListener('click', () => window.print()));
