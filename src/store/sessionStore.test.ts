import { beforeEach, describe, expect, it } from 'vitest';
import { useSession } from './sessionStore';

beforeEach(() => {
  useSession.setState({ message: null, place: null });
});

describe('messages belong to the place they were said in', () => {
  it('a message said on one image is dropped on entering another image, project or language', () => {
    const s = () => useSession.getState();
    s().enterPlace('p1/img1/en');
    s().say('Not saved: box needs a width above zero.', 'error');
    expect(s().message).toMatchObject({ text: 'Not saved: box needs a width above zero.', place: 'p1/img1/en' });
    s().enterPlace('p1/img1/en'); // the same place again (a re-render): kept
    expect(s().message).not.toBeNull();
    s().enterPlace('p1/img2/en');
    expect(s().message).toBeNull();

    s().say('Choose a class first (1–9).', 'error');
    s().enterPlace('p1/img2/ja');
    expect(s().message).toBeNull();
    s().say('x', 'error');
    s().enterPlace(null); // left the annotate view
    expect(s().message).toBeNull();
  });
});
