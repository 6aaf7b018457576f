/**
 * Every job kind the runner knows. A new kind = its own file calling registerJob + one import line here.
 */
import './scenario-job.js';
import './comparison-job.js';
import './target-job.js';
import './shards.js';
import './regional-forecast-job.js';
import './forecast-job.js';
