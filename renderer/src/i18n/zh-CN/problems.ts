/** Strings of the problems screens (zh-CN). */
export default {
  title: '',
};
