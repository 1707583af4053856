// Decode ITF files with Quint's own decoder (ofItfNormalized: ITF -> Quint expressions ->
// runtime values -> expressions): exits 1 naming the first file Quint cannot read.
// Usage: node quint_decode.js QUINT_PACKAGE_DIR FILE...
const path = require('path');
const fs = require('fs');
const itf = require(path.join(process.argv[2], 'dist', 'src', 'itf.js'));
for (const file of process.argv.slice(3)) {
  try {
    const trace = JSON.parse(fs.readFileSync(file, 'utf8'));
    const states = itf.ofItfNormalized(trace);
    if (states.length !== trace.states.length) throw new Error('lost states');
    console.log(`${file}: ${states.length} states`);
  } catch (err) {
    console.log(`${file}: ${err}`);
    process.exit(1);
  }
}
