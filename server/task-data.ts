// The `data` of a lens or call hierarchy item: which task of which document it was made for, so that
// resolving it later finds the task again (by key, else by index) even if the file changed meanwhile.
export interface TaskData {
  uri: string;
  key: string | null;
  index: number;
}

export function isTaskData(data: unknown): data is TaskData {
  const d = data as Partial<TaskData> | null;
  return !!d && typeof d.uri === 'string' && (typeof d.key === 'string' || d.key === null) && typeof d.index === 'number';
}
