/** Strings of the tasks screens (zh-CN). */
export default {
  title: '',
};
