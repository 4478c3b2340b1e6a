/** Draws one sample of a distribution with location `loc` and scale `scale`, as Sage's TimeSeries.randomize does. */
export type Sampler = (loc: number, scale: number) => number;

function standardNormal(): number {
  // Box–Muller; 1 - random() keeps log() away from 0.
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

export const samplers: Readonly<Record<string, Sampler>> = {
  normal: (loc, scale) => loc + scale * standardNormal(),
  uniform: (loc, scale) => loc + scale * Math.random(),
  lognormal: (loc, scale) => Math.exp(loc + scale * standardNormal()),
  // The x coordinate of a point drawn uniformly from the unit disc follows Wigner's semicircle law.
  semicircle: (loc, scale) => loc + scale * Math.sqrt(Math.random()) * Math.cos(2 * Math.PI * Math.random()),
};
