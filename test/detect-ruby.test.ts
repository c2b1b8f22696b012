// Ruby versions from a Gemfile requirement: an exact pin as written, a range resolved to the newest
// release that satisfies it (as engines does for Node), never the minimum a range names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rubyForRequirement } from '../stacks/ruby/detect.js';
import { RUBY_DEFAULT } from '../src/versions.js';

test('an exact Gemfile ruby line is taken as written', () => {
  assert.is(rubyForRequirement('3.3.6', '3.3').version, '3.3');
});

test('a pessimistic requirement takes the newest minor of its major line', () => {
  assert.equal(rubyForRequirement('~> 3.1', '3.1'), { version: '3.4', why: 'a range within Ruby 3; Ruby 3.4 is its newest' });
  assert.is(rubyForRequirement('~> 3.4.1', '3.4').version, '3.4');
});

test('a minimum takes the default release when that satisfies it, else the minimum', () => {
  assert.is(rubyForRequirement('>= 3.2', '3.2').version, RUBY_DEFAULT);
  assert.is(rubyForRequirement('>= 9.1', '9.1').version, '9.1');
});

test.run();
