/** Demo pictures drawn in the browser, so the demo needs no download and carries no patient data. */

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) % 1_000_000) / 1_000_000;
  };
}

function canvasOf(w: number, h: number): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return [c, c.getContext('2d')!];
}

function toPng(c: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas could not be encoded'))), 'image/png'));
}

/** A colonoscopy-like frame: pink mucosa, folds, and (when `lesion`) a raised polyp. */
export async function endoscopyFrame(seed: number, lesion: boolean): Promise<Blob> {
  const r = rng(seed);
  const [c, g] = canvasOf(640, 480);
  const bg = g.createRadialGradient(320, 240, 30, 320, 240, 380);
  bg.addColorStop(0, '#3a0d0d');
  bg.addColorStop(0.35, '#b8544a');
  bg.addColorStop(1, '#f2a48e');
  g.fillStyle = bg;
  g.fillRect(0, 0, 640, 480);
  g.strokeStyle = 'rgba(120,30,30,0.35)';
  g.lineWidth = 6;
  for (let i = 0; i < 5; i++) {
    g.beginPath();
    g.ellipse(320, 240, 80 + i * 60 + r() * 20, 60 + i * 45 + r() * 20, r() * 0.3, 0, Math.PI * 2);
    g.stroke();
  }
  if (lesion) {
    const x = 160 + r() * 320, y = 120 + r() * 240, rad = 30 + r() * 30;
    const p = g.createRadialGradient(x - rad / 3, y - rad / 3, 2, x, y, rad);
    p.addColorStop(0, '#ffd1c4');
    p.addColorStop(1, '#c0584c');
    g.fillStyle = p;
    g.beginPath();
    g.ellipse(x, y, rad, rad * 0.8, r(), 0, Math.PI * 2);
    g.fill();
  }
  g.fillStyle = '#000';
  g.fillRect(0, 0, 640, 18);
  g.fillStyle = '#ccc';
  g.font = '12px sans-serif';
  g.fillText(`DEMO ${seed}`, 8, 13);
  return toPng(c);
}

/** A fundus-like photo: orange retina, optic disc, vessels, and occasional lesions. */
export async function fundusPhoto(seed: number): Promise<Blob> {
  const r = rng(seed);
  const [c, g] = canvasOf(800, 800);
  g.fillStyle = '#000';
  g.fillRect(0, 0, 800, 800);
  const bg = g.createRadialGradient(400, 400, 20, 400, 400, 380);
  bg.addColorStop(0, '#e2803a');
  bg.addColorStop(1, '#8a3512');
  g.fillStyle = bg;
  g.beginPath();
  g.arc(400, 400, 380, 0, Math.PI * 2);
  g.fill();
  const discX = 560 + r() * 40, discY = 380 + r() * 40;
  g.strokeStyle = '#8c1d12';
  g.lineWidth = 5;
  for (let i = 0; i < 8; i++) {
    g.beginPath();
    g.moveTo(discX, discY);
    let x = discX, y = discY;
    for (let k = 0; k < 6; k++) {
      x += (r() - 0.7) * 90;
      y += (r() - 0.5) * 110;
      g.lineTo(x, y);
    }
    g.stroke();
  }
  g.fillStyle = '#ffe7a8';
  g.beginPath();
  g.arc(discX, discY, 48, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = '#fff6d8';
  g.beginPath();
  g.arc(discX, discY, 18 + r() * 20, 0, Math.PI * 2);
  g.fill();
  if (r() > 0.5) {
    g.fillStyle = '#7a0a05';
    for (let i = 0; i < 12; i++) {
      g.beginPath();
      g.arc(250 + r() * 300, 250 + r() * 300, 3 + r() * 5, 0, Math.PI * 2);
      g.fill();
    }
  }
  return toPng(c);
}
