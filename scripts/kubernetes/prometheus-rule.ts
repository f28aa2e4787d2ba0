// deploy/kubernetes/monitoring/prometheusrule.yaml is generated from monitoring/alerts.yml, the one source of the
// alert rules (tested with promtool):
//   node --import tsx scripts/kubernetes/prometheus-rule.ts          rewrite it
// test/kubernetes/manifests.test.ts fails when the two differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse, stringify } from 'yaml';
import type { K8sObject } from './validate.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const ALERTS_FILE = resolve(ROOT, 'monitoring/alerts.yml');
export const RULE_FILE = resolve(ROOT, 'deploy/kubernetes/monitoring/prometheusrule.yaml');

const HEADER = `# GENERATED from monitoring/alerts.yml by scripts/kubernetes/prometheus-rule.ts: edit alerts.yml, then run
#   node --import tsx scripts/kubernetes/prometheus-rule.ts
# The Prometheus Operator loads these rules into every Prometheus whose ruleSelector matches the labels
# (kube-prometheus-stack: its release label). The expressions select job="tenderly-app", the job label the
# ServiceMonitor sets.
`;

export function prometheusRule(alertsYaml: string): K8sObject {
  const { groups } = parse(alertsYaml) as { groups: unknown[] };
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'tenderly',
      labels: {
        'app.kubernetes.io/name': 'tenderly',
        'app.kubernetes.io/component': 'metrics',
        release: 'kube-prometheus-stack',
      },
    },
    spec: { groups },
  };
}

/** The file's exact text, formatted as `prettier --check` wants it. */
export async function renderPrometheusRule(alertsYaml: string): Promise<string> {
  const text = HEADER + stringify(prometheusRule(alertsYaml), { lineWidth: 0 });
  return format(text, { ...(await resolveConfig(RULE_FILE)), parser: 'yaml' });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(RULE_FILE, await renderPrometheusRule(readFileSync(ALERTS_FILE, 'utf8')));
  console.log(`wrote ${RULE_FILE}`);
}
