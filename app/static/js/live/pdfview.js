// A school's own PDF shown page by page with pdf.js (vendored, loaded only when a PDF is shown).

let pdfjs = null;
const documents = new Map();
let ticket = 0;

export async function renderPdfPage(container, { url, page, libUrl, workerUrl, wasmUrl }) {
  const mine = ++ticket;
  if (!pdfjs) {
    pdfjs = await import(libUrl);
    pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
  }
  if (!documents.has(url)) {
    // wasmUrl: pdf.js 5+ decodes JPEG 2000, JBIG2 and CCITT images (scanned pages) in WebAssembly.
    documents.set(url, pdfjs.getDocument({ url, withCredentials: true, wasmUrl }).promise);
  }
  const pdf = await documents.get(url);
  const pdfPage = await pdf.getPage(Math.min(Math.max(page, 1), pdf.numPages));
  if (mine !== ticket) return; // a newer page was asked for meanwhile
  const viewport = pdfPage.getViewport({ scale: 1.5 });
  const canvas = document.createElement('canvas');
  canvas.width = viewport.width;
  canvas.height = viewport.height;
  canvas.setAttribute('aria-label', `PDF ${page}`);
  // pdf.js 5+ draws on `canvas`; `canvasContext` keeps older builds working.
  await pdfPage.render({ canvas, canvasContext: canvas.getContext('2d'), viewport }).promise;
  if (mine !== ticket) return;
  container.replaceChildren(canvas);
}
