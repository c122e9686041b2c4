// A school's own PDF on its deck page: one page at a time, drawn with pdf.js through the live room's
// module (static/js/live/pdfview.js), never in the browser's PDF viewer, where a PDF's scripts and
// forms would run on this site (the file itself is served as a sandboxed download).
// Arrows, PageUp/PageDown, Home/End and the toolbar's buttons move; F goes full screen.

const root = document.getElementById('pdf-deck');
if (root) {
  const box = document.getElementById('pdf-page');
  const counter = document.getElementById('deck-counter');
  const pages = Math.max(parseInt(root.dataset.pages, 10) || 1, 1);
  const options = { url: root.dataset.url, libUrl: root.dataset.pdfjs,
    workerUrl: root.dataset.pdfjsWorker, wasmUrl: root.dataset.pdfjsWasm };
  let index = 0;
  let renderPdfPage = null;

  const failed = () => {  // pdf.js could not draw it here: the file itself, to open elsewhere
    const link = Object.assign(document.createElement('a'), { href: root.dataset.url, download: '' });
    link.textContent = root.dataset.failed;
    const p = document.createElement('p');
    p.className = 'empty';
    p.append(link);
    box.replaceChildren(p);
  };

  const show = async (next) => {
    index = Math.max(0, Math.min(pages - 1, next));
    counter.textContent = `${index + 1} / ${pages}`;
    history.replaceState?.(null, '', `#${index + 1}`);
    try {
      renderPdfPage ??= (await import(root.dataset.pdfview)).renderPdfPage;
      await renderPdfPage(box, { ...options, page: index + 1 });
    } catch (error) {
      failed();
    }
  };

  const fullscreen = () => document.documentElement.requestFullscreen?.();

  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const moves = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, ' ': 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1 };
    if (event.key in moves) show(index + moves[event.key]);
    else if (event.key === 'Home') show(0);
    else if (event.key === 'End') show(pages - 1);
    else if (event.key === 'f' || event.key === 'F') fullscreen();
    else return;
    event.preventDefault();
  });

  document.addEventListener('click', (event) => {
    const action = event.target.closest('[data-deck]')?.dataset.deck;
    if (action === 'next') show(index + 1);
    else if (action === 'prev') show(index - 1);
    else if (action === 'fullscreen') fullscreen();
  });

  const start = parseInt(location.hash.slice(1), 10);
  show(Number.isNaN(start) ? 0 : start - 1);
}
