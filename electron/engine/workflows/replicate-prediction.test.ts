import { describe, expect, it } from 'vitest';
import { outputUrls, predictionTarget } from './replicate-prediction';

describe('Replicate prediction targets and outputs', () => {
  it('creates by model for owner/name, by version for owner/name:version or a bare version id', () => {
    expect(predictionTarget('black-forest-labs/flux-schnell')).toEqual({ path: '/models/black-forest-labs/flux-schnell/predictions', version: null, name: 'black-forest-labs/flux-schnell' });
    expect(predictionTarget('replicate/minimax/video-01')).toMatchObject({ path: '/models/minimax/video-01/predictions' });
    const version = 'f'.repeat(64);
    expect(predictionTarget(`stability-ai/sdxl:${version}`)).toEqual({ path: '/predictions', version, name: 'stability-ai/sdxl' });
    expect(predictionTarget(version)).toEqual({ path: '/predictions', version, name: version });
  });

  it('refuses a name that is not a Replicate model (it would name another path)', () => {
    expect(() => predictionTarget('flux')).toThrow("model 'flux' is not a Replicate model");
    expect(() => predictionTarget('a/b/../../files')).toThrow('not a Replicate model');
    expect(() => predictionTarget('../..')).toThrow('not a Replicate model');
  });

  it('finds the file URLs of an output: one URL, a list, or an object’s URL values; text is none', () => {
    expect(outputUrls('https://replicate.delivery/x/out.mp4')).toEqual(['https://replicate.delivery/x/out.mp4']);
    expect(outputUrls(['https://a/0.png', 'https://a/1.png', 'not a url'])).toEqual(['https://a/0.png', 'https://a/1.png']);
    expect(outputUrls({ image: 'http://h/i.png', caption: 'a cat' })).toEqual(['http://h/i.png']);
    expect(outputUrls(['Hello', ' world'])).toEqual([]);
    expect(outputUrls(null)).toEqual([]);
  });
});
