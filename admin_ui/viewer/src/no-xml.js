// vtk.js's XML reader and writer import xmlbuilder2 (a Node library); the viewer never reads or
// writes VTK XML, so the bundle gets this stand-in instead of it.
export function create() { throw new Error('VTK XML is not available in the Lightbox viewer'); }
