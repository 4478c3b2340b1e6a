#!/usr/bin/env node
// The bin npm links: a committed file, since npm links bins before `prepare` builds dist/.
require('@scattergather/protocol/run-built')(__dirname, 'sg-controller');
