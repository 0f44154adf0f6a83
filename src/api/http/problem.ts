import type { Response } from 'express';

/** RFC 9457 problem details. `type` is stable: clients branch on it, not on `title`. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export const PROBLEM_BASE = 'https://arcfit.app/problems/';

export const problemType = (slug: string): string => `${PROBLEM_BASE}${slug}`;

export const sendProblem = (res: Response, problem: ProblemDocument): void => {
  const body: ProblemDocument = {
    ...problem,
    status: problem.status,
    type: problem.type.startsWith('http') ? problem.type : problemType(problem.type),
    instance: typeof problem.instance === 'string' ? problem.instance : res.req.originalUrl,
    request_id: res.req.id,
  };
  res.status(problem.status).type('application/problem+json').json(body);
};
