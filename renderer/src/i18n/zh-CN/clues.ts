/** Strings of the clues screens (zh-CN). */
export default {
  title: '',
};
