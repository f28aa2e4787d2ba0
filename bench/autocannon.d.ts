// Minimal typings for the parts of autocannon the harness uses (the package ships none).
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      duration?: number;
      amount?: number;
      overallRate?: number;
      timeout?: number;
      skipAggregateResult?: boolean;
    }
  }
  function autocannon(options: autocannon.Options): Promise<unknown>;
  export default autocannon;
}
