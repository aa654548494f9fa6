import { describe, expect, it } from 'vitest';
import {
  gradeQuiz,
  needsSupervision,
  pickQuestions,
  type QuizQuestion,
} from '../../functions/quizzes/quiz.ts';

const q = (id: string, answer = 0): QuizQuestion => ({
  questionId: id,
  text: `${id}?`,
  options: ['a', 'b', 'c'],
  answer,
});
const pool = ['q1', 'q2', 'q3', 'q4', 'q5'].map((id, i) => q(id, i % 3));

describe('drawing a quiz', () => {
  it('draws three distinct questions of the pool', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 20; i++) {
      const drawn = pickQuestions(pool, random);
      expect(drawn).toHaveLength(3);
      expect(new Set(drawn.map((d) => d.questionId)).size).toBe(3);
      for (const d of drawn) expect(pool).toContainEqual(d);
    }
  });

  it('asks the random source once per position above the first (Fisher–Yates), each over what is left', () => {
    const asked: number[] = [];
    pickQuestions(pool, (n) => {
      asked.push(n);
      return 0;
    });
    expect(asked).toEqual([5, 4, 3, 2]);
  });

  it('leaves the pool as it was and takes the whole pool when it has exactly three', () => {
    const three = pool.slice(0, 3);
    const drawn = pickQuestions(three, () => 0);
    expect(drawn.map((d) => d.questionId).sort()).toEqual(['q1', 'q2', 'q3']);
    expect(three.map((d) => d.questionId)).toEqual(['q1', 'q2', 'q3']);
  });
});

describe('guessing through a quiz alone', () => {
  it.each([
    [0, false, false],
    [2, false, false],
    [3, false, true],
    [7, false, true],
    [3, true, false],
  ])('after %i failed attempts, supervised %s → needs supervision %s', (failed, supervised, expected) => {
    expect(needsSupervision(failed, supervised)).toBe(expected);
  });
});

describe('grading a quiz', () => {
  const quiz = [q('a', 0), q('b', 1), q('c', 2)];
  it.each([
    ['all right', [0, 1, 2], { ok: true, passed: true, correct: 3, wrongQuestionIds: [] }],
    ['one wrong', [0, 1, 1], { ok: true, passed: false, correct: 2, wrongQuestionIds: ['c'] }],
    ['all wrong', [2, 2, 0], { ok: true, passed: false, correct: 0, wrongQuestionIds: ['a', 'b', 'c'] }],
  ] as const)('%s', (_, choices, expected) => {
    const answers = quiz.map((x, i) => ({ questionId: x.questionId, choice: choices[i] as number }));
    expect(gradeQuiz(quiz, answers)).toMatchObject({ ...expected, total: 3 });
  });

  it.each([
    [
      'a question of another quiz',
      [
        { questionId: 'a', choice: 0 },
        { questionId: 'b', choice: 1 },
        { questionId: 'z', choice: 2 },
      ],
    ],
    [
      'the same question twice',
      [
        { questionId: 'a', choice: 0 },
        { questionId: 'a', choice: 0 },
        { questionId: 'b', choice: 1 },
      ],
    ],
    [
      'too few answers',
      [
        { questionId: 'a', choice: 0 },
        { questionId: 'b', choice: 1 },
      ],
    ],
  ])('refuses %s', (_, answers) => {
    expect(gradeQuiz(quiz, answers)).toEqual({ ok: false, problem: 'answers_mismatch' });
  });
});

describe('drawing and grading, at the edges', () => {
  it('shuffles the pool (Fisher–Yates): a random that always says 0 still moves every card', () => {
    const drawn = pickQuestions([q('a'), q('b'), q('c'), q('d')], () => 0, 3);
    expect(drawn.map((x) => x.questionId)).toEqual(['b', 'c', 'd']);
  });

  it.each([
    [
      'the same question answered twice',
      [
        { questionId: 'a', choice: 0 },
        { questionId: 'a', choice: 1 },
        { questionId: 'b', choice: 0 },
      ],
    ],
    [
      'an answer to a question not in the quiz',
      [
        { questionId: 'a', choice: 0 },
        { questionId: 'b', choice: 0 },
        { questionId: 'z', choice: 0 },
      ],
    ],
    ['a question left out', [{ questionId: 'a', choice: 0 }]],
  ])('refuses %s even when the number of distinct questions matches the quiz', (_, answers) => {
    expect(gradeQuiz([q('a'), q('b')], answers)).toEqual({ ok: false, problem: 'answers_mismatch' });
  });
});
