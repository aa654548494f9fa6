// A person's work history as the person item keeps it, shared by whoever writes it (hr's
// declaration at registration or later) and whoever reads it (dispatch's practice rule).

/** The person-item attributes holding the last declared practice in a work type, and its source. */
export const practiceAttributes = (workType: string) => ({
  date: `practice_${workType}`,
  source: `practiceSource_${workType}`,
});

/** hr's declaration of when a person last did a kind of work before the product knew them. */
export interface PracticeDeclaration<WorkType extends string = string> {
  workType: WorkType;
  lastPracticedOn: string;
  /** Where and for whom they worked (employer, project). */
  source: string;
  /** Where the evidence is kept, if any (the paper file, a previous employer's letter). */
  evidenceNote?: string;
}
