// Suite-wide setup; real dependencies (redis-server) are started per test file by test/support helpers.
export default function setup(): void {}
