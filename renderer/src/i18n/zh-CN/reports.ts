/** Strings of the reports screens (zh-CN). */
export default {
  title: '',
};
